"""QR codes as inline SVG made on the server (no script, no inline style: strict CSP)."""
import qrcode
import qrcode.image.svg
from flask_babel import gettext as _
from markupsafe import Markup, escape


def qr_svg(url: str, label: str | None = None) -> Markup:
    """An accessible, path-based SVG QR code for `url` (one <path>, presentation attributes only)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    label = label or _("QR-kode til %(url)s", url=url)
    # The svg markup comes from the qrcode library (numbers only); the label is escaped.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" focusable="false" ', 1)
    return Markup(svg.strip())
