from . import res_company_qc_settings
