"""The site's MkDocs plugin (``refund-policies``): generated vendor pages, the comparison, the
calculator's assets and the Content-Security-Policy. See :mod:`site_plugins.plugin`.

Not shipped in the refundlib wheel; the calculator's browser code is in ``assets/refund/``.
"""
