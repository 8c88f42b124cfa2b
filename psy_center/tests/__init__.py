from . import test_agenda_booking_tour
