from . import test_access_matrix
from . import test_audit
from . import test_signed_note
from . import test_private_note
from . import test_clinical_flows
from . import test_write_paths
from . import test_joint_session_notes
from . import test_rpc_paths
