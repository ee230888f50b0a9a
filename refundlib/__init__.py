"""refundlib: SaaS refund policies as cited data, and an evaluator that explains every verdict.

    >>> import refundlib
    >>> decision = refundlib.evaluate("recatch", {
    ...     "product": "subscription", "billing": "annual", "purchased_on": "2026-01-01",
    ...     "requested_on": "2026-07-01", "amount_paid": "800.00", "list_price": "1000.00",
    ...     "currency": "USD", "first_payment": True, "facts": {"one_time_copy_used": True}})
    >>> str(decision.outcome), str(decision.amount)
    ('partial', '300.00')

Only the standard library is used, so the same code runs in CPython and in Pyodide.
"""

from .decision import Decision, Step
from .errors import (
                     ErrorKind,
                     ExpressionError,
                     FieldFormatError,
                     FieldRangeError,
                     FieldRelationError,
                     FieldTypeError,
                     MissingFieldError,
                     PolicyFileError,
                     RefundlibError,
                     ScenarioError,
                     UnknownNameError,
                     UnknownVendorError,
)
from .evaluator import evaluate
from .loader import load_policy_text
from .model import Destination, Outcome, Policy
from .registry import all_policies, get_policy, load_policy_file, vendor_ids

__version__ = "0.1.0"

__all__ = [
    "Decision", "Destination", "ErrorKind", "ExpressionError", "FieldFormatError", "FieldRangeError",
    "FieldRelationError", "FieldTypeError", "MissingFieldError", "Outcome", "Policy", "PolicyFileError",
    "RefundlibError", "ScenarioError", "Step", "UnknownNameError", "UnknownVendorError", "all_policies", "evaluate",
    "get_policy", "load_policy_file", "load_policy_text", "vendor_ids",
]
