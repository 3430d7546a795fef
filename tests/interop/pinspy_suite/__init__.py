"""A harness that runs pins-python 0.9.2's own test suite, unmodified, against this
package (``tests/interop/test_pinspy_suite.py`` starts it).

pins-python ships its tests inside its wheel (``pins/tests/``). At test time their
modules and data folders are copied from the pins-python virtual environment into a
temporary folder (nothing of them is kept in this repository) and run with pytest in a
subprocess whose ``pins`` is ours. Those modules import a few things from pins-python's
own test package and internals; this package provides, in that subprocess only:

- :mod:`.plugin`: the pytest plugin that puts the modules below in place, serves S3
  (moto) and Posit Connect (our emulator) on 127.0.0.1, skips what the expected list
  says cannot run here, and writes each test's outcome to a JSON report;
- :mod:`.helpers`, :mod:`.fixtures`, :mod:`.connect_fixtures`: ``pins.tests.helpers``,
  ``pins.tests.conftest`` and ``pins.tests.test_rsconnect_api`` as those tests use them,
  building every board with this package's public constructors;
- :mod:`.internals`: stand-ins for the pins-python internals those modules import at
  their top (so that a module is collected and each test that uses one fails on its own);
- :mod:`.expected`: the one list of tests expected to fail or be skipped, with reasons.
"""
