from . import psy_session_note_sign
