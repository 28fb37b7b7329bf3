"""The OpenAPI document is served and describes every route and body the apps use."""

from odoo.tests import tagged

from .common import API, AftersalesApiCase

PATHS = {
    "/token": {"post", "delete"},
    "/me": {"get"},
    "/jobs": {"get"},
    "/jobs/{job_id}": {"get"},
    "/jobs/{job_id}/accept": {"post"},
    "/jobs/{job_id}/decline": {"post"},
    "/jobs/{job_id}/on_my_way": {"post"},
    "/jobs/{job_id}/check_in": {"post"},
    "/jobs/{job_id}/check_out": {"post"},
    "/jobs/{job_id}/worklog": {"post"},
    "/jobs/{job_id}/submit": {"post"},
    "/requests": {"get", "post"},
    "/requests/options": {"get"},
    "/requests/{request_id}": {"get"},
    "/agent/requests": {"post"},
    "/warranty": {"get"},
}
SCHEMAS = {
    "TokenIn",
    "TokenOut",
    "Me",
    "JobSummary",
    "JobDetail",
    "Worklog",
    "WorklogOut",
    "WorklogErrors",
    "StepIn",
    "RequestSummary",
    "RequestDetail",
    "TimelineEvent",
    "RequestOptions",
    "AgentRequestIn",
    "WarrantyResult",
    "Error",
}


@tagged("post_install", "-at_install")
class TestApiOpenapi(AftersalesApiCase):
    def test_openapi_document(self):
        response = self.url_open(f"{API}/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertTrue(document["openapi"].startswith("3."))
        self.assertEqual(document["info"]["title"], "After-Sales Mobile API")
        paths = {
            path: set(item) & {"get", "post", "delete", "put", "patch"} for path, item in document["paths"].items()
        }
        for path, methods in PATHS.items():
            with self.subTest(path=path):
                self.assertIn(path, paths)
                self.assertEqual(paths[path], methods)
        self.assertEqual(set(paths) - set(PATHS), set(), "every served route is listed here")
        self.assertLessEqual(SCHEMAS, set(document["components"]["schemas"]))
        scheme = document["components"]["securitySchemes"]["ApiKey"]
        self.assertEqual((scheme["type"], scheme["scheme"]), ("http", "bearer"))
        self.assertIn("ApiKey", str(document["paths"]["/jobs"]["get"].get("security")))
        self.assertNotIn("security", document["paths"]["/warranty"]["get"], "the warranty check needs no key")
        worklog = document["paths"]["/jobs/{job_id}/worklog"]["post"]["requestBody"]["content"]
        self.assertIn("multipart/form-data", worklog)

    def test_docs_page(self):
        response = self.url_open(f"{API}/docs")
        self.assertEqual(response.status_code, 200)
        self.assertIn("openapi.json", response.text)

    def test_unknown_route_is_json_404(self):
        response = self.url_open(f"{API}/no/such/route")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"detail": "Not Found"})
