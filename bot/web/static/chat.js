// The chat page: each message or tap is posted to /chat/send, which answers with the bot's
// reply drawn as LINE would show it (server-rendered HTML). Replies are asked for one at a
// time, in order, as one LINE conversation's events are handled.
(() => {
  "use strict";
  const log = document.getElementById("log");
  const chips = document.getElementById("chips");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  const csrf = form.querySelector("input[name=csrf_token]").value;
  let queue = Promise.resolve();

  function bubble(side, text, extra) {
    const row = document.createElement("div");
    row.className = `msg ${side}${extra ? " " + extra : ""}`;
    const p = document.createElement("p");
    p.className = "bubble";
    p.textContent = text;
    row.append(p);
    log.append(row);
    log.scrollTop = log.scrollHeight;
    return row;
  }

  function note(text) {
    const p = document.createElement("p");
    p.className = "note";
    p.textContent = text;
    log.append(p);
  }

  function show(html) {
    const holder = document.createElement("template");
    holder.innerHTML = html;
    const turn = holder.content.querySelector(".turn");
    if (!turn) return;
    const quick = turn.querySelector(".quick-reply");
    chips.replaceChildren(...(quick ? quick.children : []));
    if (quick) quick.remove();
    if (turn.children.length) log.append(turn);
    log.scrollTop = log.scrollHeight;
  }

  function send(fields, shown) {
    if (shown) bubble("user", shown);
    chips.replaceChildren();  // LINE hides the quick reply once the user answers
    const body = new FormData();
    body.append("csrf_token", csrf);
    for (const [key, value] of Object.entries(fields)) body.append(key, value);
    queue = queue.then(async () => {
      const typing = bubble("bot", "•••", "typing");
      try {
        const response = await fetch(form.action, {
          method: "POST", body, credentials: "same-origin",
        });
        typing.remove();
        if (!response.ok) {
          note(`ส่งไม่สำเร็จ (${response.status})`);
          return;
        }
        show(await response.text());
      } catch (error) {
        typing.remove();
        note("ส่งไม่สำเร็จ: เชื่อมต่อเซิร์ฟเวอร์ไม่ได้");
      }
    });
    return queue;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    send({ text }, text);
  });

  // Quick-reply chips and Flex buttons: a message action sends its text as the user's message;
  // a postback sends its data, showing its displayText (if any) as LINE does.
  document.addEventListener("click", (event) => {
    const target = event.target.closest("button[data-kind]");
    if (!target || target.disabled) return;
    if (target.dataset.kind === "message") {
      send({ text: target.dataset.text }, target.dataset.text);
    } else if (target.dataset.kind === "postback") {
      send({ postback: target.dataset.postback }, target.dataset.display || "");
    }
  });

  send({ event: "follow" });  // the greeting a new LINE friend gets
  input.focus();
})();
