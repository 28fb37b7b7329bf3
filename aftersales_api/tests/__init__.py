from . import test_api_customer, test_api_openapi, test_api_session, test_api_technician
