"""Every fault `make gate-selftest` plants still fits today's code.

A refactor that rewrites a line a fault replaces makes the self-test stop before checking any gate; this
finds it in `make test` rather than at the end of CI.
"""

from __future__ import annotations

import pytest

from tests.gates.selftest import FAULTS, ROOT, CannotPlant, Fault, planted


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_the_fault_can_be_planted_in_todays_code(fault: Fault):
    text = (ROOT / fault.file).read_text()
    assert planted(text, fault) != text


def test_a_fault_whose_line_is_gone_is_refused():
    fault = FAULTS[0]
    with pytest.raises(CannotPlant, match=fault.name):
        planted("nothing of the original here\n", fault)
