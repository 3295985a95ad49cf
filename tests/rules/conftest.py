"""Every rules test starts and ends with the shipped reference data."""

from collections.abc import Iterator

import pytest

from station_app.rules import refdata


@pytest.fixture(autouse=True)
def _shipped_refdata() -> Iterator[None]:
    refdata.reset()
    yield
    refdata.reset()
