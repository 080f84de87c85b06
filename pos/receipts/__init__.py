"""Receipts: the data model (:mod:`.model`), fixed-column text (:mod:`.text`), ESC/POS bytes
(:mod:`.escpos`), printers (:mod:`.printers`) and the retry list (:mod:`.queue`).

Typical use after a sale::

    receipt = Receipt(...)
    data = render_escpos(receipt, settings.printer.width)
    printer = printer_from_settings(settings.printer)
    outcome = await print_or_queue(printer, data, PrintQueue.in_dir(data_dir()), label=number)

Each name is imported from its module; the package itself imports nothing, so the window's
start-up (which reads only the model) never pulls in the printers or the print queue.
"""
