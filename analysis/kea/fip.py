def fip_findings(info):
    return []
