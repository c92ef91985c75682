"""Settings shared by every test.

Property tests (hypothesis) try 25 examples each in the fast tier a developer runs, and 150 in
CI (`HYPOTHESIS_PROFILE=ci`, set by .ci/run): the same properties, searched harder where time
allows.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
