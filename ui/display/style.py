"""The customer display's own style sheet (:class:`~ui.display.customer_display.CustomerDisplay`
is a top-level window of its own, often on a TV: big type, its state's colours)."""

# Colours and sizes of this window only (it is its own top-level window, often on a TV).
DISPLAY_QSS = """
#customerDisplay { background: #f8fafc; }
#customerDisplay QLabel { color: #0f172a; }
#customerDisplayHeader { background: #0f172a; }
#customerDisplayHeader QLabel { color: #f8fafc; }
#customerDisplayStore { font-size: 30px; font-weight: 800; }
#customerDisplayBrand { font-size: 18px; color: #94a3b8; }
#customerDisplayStatus {
    font-size: 34px; font-weight: 800; padding: 12px 24px; border-radius: 14px;
}
#customerDisplay[state="idle"] #customerDisplayStatus { font-size: 64px; }
#customerDisplay[state="payment"] #customerDisplayStatus {
    background: #fef3c7; color: #92400e;
}
#customerDisplay[state="paid"] { background: #16a34a; }
#customerDisplay[state="paid"] QLabel { color: #ffffff; }
#customerDisplay[state="paid"] #customerDisplayStatus { font-size: 60px; }
#customerDisplay[state="canceled"] { background: #475569; }
#customerDisplay[state="canceled"] QLabel { color: #ffffff; }
#customerDisplayWelcome { font-size: 26px; color: #475569; }
#customerDisplayLines {
    font-size: 26px; background: #ffffff; border: 1px solid #e2e8f0; border-radius: 14px;
    gridline-color: transparent;
}
#customerDisplayLines QHeaderView::section {
    font-size: 18px; color: #64748b; background: #ffffff; border: none;
    border-bottom: 1px solid #e2e8f0; padding: 8px 12px;
}
#customerDisplayLines::item { padding: 4px 12px; border-bottom: 1px solid #f1f5f9; }
#customerDisplayTotalBar {
    background: #ffffff; border: 1px solid #e2e8f0; border-radius: 14px;
}
#customerDisplay[state="paid"] #customerDisplayTotalBar,
#customerDisplay[state="canceled"] #customerDisplayTotalBar {
    background: transparent; border: none;
}
#customerDisplayTotalCaption { font-size: 28px; color: #475569; font-weight: 600; }
#customerDisplayCount { font-size: 20px; color: #64748b; }
#customerDisplayTotal { font-size: 64px; font-weight: 900; }
#customerDisplayQr { background: #ffffff; border-radius: 16px; padding: 12px; }
#customerDisplayQr[warning="true"] {
    background: #fef3c7; color: #92400e; font-size: 24px; font-weight: 700; padding: 32px;
}
#customerDisplayAmountCaption { font-size: 24px; color: #475569; }
#customerDisplayAmount { font-size: 72px; font-weight: 900; }
#customerDisplayOrder { font-size: 26px; font-weight: 700; color: #334155; }
#customerDisplayHint { font-size: 24px; color: #334155; }
#customerDisplayMark { font-size: 160px; font-weight: 900; }
#customerDisplayThanks { font-size: 34px; font-weight: 700; }
"""
