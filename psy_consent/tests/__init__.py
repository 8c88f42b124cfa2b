from . import test_consent_version
from . import test_consent_minor
from . import test_consent_immutability
from . import test_consent_revocation
from . import test_session_gating
from . import test_consent_access
from . import test_consent_portal
from . import test_consent_tour
