"""LINE message payloads (the JSON a reply request carries) as what a LINE chat shows.

`view(payloads)` turns the messages of one reply into plain dicts for the chat page's
templates: text bubbles, Flex bubbles (header, hero, body and footer blocks of boxes and texts,
as LINE's Flex layout puts them), and the quick-reply chips of the last message. Styles come
only from values LINE's Flex reference allows (named sizes and spacings, `#rrggbb` colours,
whole-number flex), so nothing from a payload reaches the page's CSS unchecked; text is escaped
by the templates.
"""

from __future__ import annotations

import re

#: LINE's named text sizes (Flex reference), in pixels: our approximation of LINE's clients.
TEXT_SIZES = {"xxs": 11, "xs": 13, "sm": 14, "md": 16, "lg": 19, "xl": 22, "xxl": 29,
              "3xl": 35, "4xl": 48, "5xl": 74}
#: LINE's named spacings, margins and paddings, in pixels (the same approximation).
SPACINGS = {"none": 0, "xs": 2, "sm": 4, "md": 8, "lg": 12, "xl": 16, "xxl": 20}
LAYOUTS = ("vertical", "horizontal", "baseline")
BLOCKS = ("header", "hero", "body", "footer")
ALIGNS = {"start": "left", "end": "right", "center": "center"}
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?$")
_PIXELS = re.compile(r"^\d{1,3}px$")


def view(payloads: list[dict]) -> dict:
    """{"messages": [...], "chips": [...]} for one reply's LINE messages."""
    messages = [_message(payload) for payload in payloads if isinstance(payload, dict)]
    chips: list[dict] = []
    if payloads and isinstance(payloads[-1], dict):
        quick = payloads[-1].get("quickReply") or {}
        for item in quick.get("items") or []:
            chip = action(item.get("action") if isinstance(item, dict) else None)
            if chip is not None:
                chips.append(chip)
    return {"messages": messages, "chips": chips}


def action(data) -> dict | None:
    """A tappable action: a message action sends `text`, a postback `data` (showing
    `displayText` as the user's message, as LINE does). Others are shown, not sent."""
    if not isinstance(data, dict):
        return None
    label = str(data.get("label") or "")
    kind = data.get("type")
    if kind == "message":
        text = str(data.get("text") or "")
        return {"kind": "message", "label": label or text, "text": text}
    if kind == "postback":
        return {
            "kind": "postback",
            "label": label,
            "data": str(data.get("data") or ""),
            "display": str(data.get("displayText") or data.get("text") or ""),
        }
    return {"kind": "other", "label": label or str(kind or "")}


def _message(payload: dict) -> dict:
    kind = payload.get("type")
    if kind == "text":
        return {"type": "text", "text": str(payload.get("text") or "")}
    if kind == "flex":
        contents = payload.get("contents") or {}
        bubbles = []
        if contents.get("type") == "bubble":
            bubbles = [contents]
        elif contents.get("type") == "carousel":
            bubbles = [b for b in contents.get("contents") or [] if isinstance(b, dict)]
        return {
            "type": "flex",
            "alt": str(payload.get("altText") or ""),
            "bubbles": [_bubble(b) for b in bubbles],
        }
    return {"type": "other", "text": f"[{kind or 'message'}]"}


def _bubble(bubble: dict) -> dict:
    blocks = []
    for name in BLOCKS:
        block = bubble.get(name)
        if isinstance(block, dict):
            blocks.append({"name": name, "content": component(block, parent="vertical")})
    return {"blocks": blocks, "size": bubble.get("size") if bubble.get("size") in
            ("nano", "micro", "kilo", "mega", "giga") else "mega"}


def component(data: dict, parent: str) -> dict:
    """One Flex component (box, text, separator, button, filler, ...) as a template dict.

    `parent` is the layout of the box holding it: children of a horizontal or baseline box
    share its width by `flex` (default 1), children of a vertical box take their own height.
    """
    kind = data.get("type")
    style = _common_style(data, parent)
    if kind == "box":
        layout = data.get("layout") if data.get("layout") in LAYOUTS else "vertical"
        children = [component(c, layout) for c in data.get("contents") or []
                    if isinstance(c, dict)]
        spacing = SPACINGS.get(data.get("spacing"))
        if spacing:
            style.append(f"gap:{spacing}px")
        for side in ("paddingAll", "paddingTop", "paddingBottom", "paddingStart", "paddingEnd"):
            value = _length(data.get(side))
            if value is not None:
                css = {"paddingAll": "padding", "paddingTop": "padding-top",
                       "paddingBottom": "padding-bottom", "paddingStart": "padding-left",
                       "paddingEnd": "padding-right"}[side]
                style.append(f"{css}:{value}px")
        _color(style, "background-color", data.get("backgroundColor"))
        return {"type": "box", "layout": layout, "contents": children, "style": ";".join(style)}
    if kind in ("text", "span"):
        size = TEXT_SIZES.get(data.get("size"), TEXT_SIZES["md"])
        style.append(f"font-size:{size}px")
        if data.get("weight") == "bold":
            style.append("font-weight:700")
        _color(style, "color", data.get("color"))
        if data.get("align") in ALIGNS:
            style.append(f"text-align:{ALIGNS[data['align']]}")
        text = str(data.get("text") or "")
        if not text and isinstance(data.get("contents"), list):
            text = "".join(str(s.get("text") or "") for s in data["contents"]
                           if isinstance(s, dict))
        return {"type": "text", "text": text, "wrap": bool(data.get("wrap")),
                "style": ";".join(style)}
    if kind == "separator":
        _color(style, "border-color", data.get("color"))
        return {"type": "separator", "style": ";".join(style)}
    if kind == "button":
        return {"type": "button", "action": action(data.get("action")),
                "primary": data.get("style") == "primary", "style": ";".join(style)}
    if kind in ("filler", "spacer"):
        return {"type": "filler", "style": ";".join(style)}
    return {"type": "other", "text": f"[{kind or '?'}]", "style": ";".join(style)}


def _common_style(data: dict, parent: str) -> list[str]:
    """flex and margin, which every component has, as CSS declarations."""
    style = []
    flex = data.get("flex")
    if parent in ("horizontal", "baseline"):
        flex = flex if isinstance(flex, int) and 0 <= flex <= 100 else 1
        style.append("flex:0 0 auto" if flex == 0 else f"flex:{flex} 1 0")
    elif isinstance(flex, int) and 0 < flex <= 100:
        style.append(f"flex:{flex} 1 0")
    margin = SPACINGS.get(data.get("margin"))
    if margin:
        side = "margin-left" if parent in ("horizontal", "baseline") else "margin-top"
        style.append(f"{side}:{margin}px")
    return style


def _color(style: list[str], prop: str, value) -> None:
    if isinstance(value, str) and _COLOR.match(value):
        style.append(f"{prop}:{value}")


def _length(value) -> int | None:
    if isinstance(value, str) and value in SPACINGS:
        return SPACINGS[value]
    if isinstance(value, str) and _PIXELS.match(value):
        return int(value[:-2])
    return None
