"""The colour of each grade, from its place among the rules' grade bands (metrics/rules.toml), best first.

No grade name is written here: a band renamed, added or dropped in the rules file gets its colour by position.
"""

from __future__ import annotations

from collections.abc import Sequence

from plotly.colors import hex_to_rgb, sample_colorscale, unlabel_rgb

# Green (best) to red (worst), ColorBrewer RdYlGn: tells the ends apart in greyscale and for red-green blindness.
SCALE = ("#1a9850", "#91cf60", "#fee08b", "#d73027")
UNKNOWN = "#999999"  # a value outside the bands (no grade)


def grade_colours(grades: Sequence[str]) -> dict[str, str]:
    """grade → colour, the scale sampled evenly over the bands (four bands get the four colours exactly)."""
    if len(grades) == 1:
        return {grades[0]: SCALE[0]}
    return dict(zip(grades, sample_colorscale(list(SCALE), len(grades), colortype="rgb"), strict=True))


def _luminance(colour: str) -> float:
    rgb = hex_to_rgb(colour) if colour.startswith("#") else unlabel_rgb(colour)
    lin = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def badge_style(grade: object, grades: Sequence[str]) -> dict[str, str]:
    """Background and text colour of a grade badge: white text only where it reads better than black (WCAG)."""
    background = grade_colours(grades).get(grade, UNKNOWN) if isinstance(grade, str) else UNKNOWN
    # contrast with white (1.05 / (L + 0.05)) beats contrast with black ((L + 0.05) / 0.05) below L ≈ 0.18
    return {"backgroundColor": background, "color": "#fff" if _luminance(background) < 0.179 else "#000"}
