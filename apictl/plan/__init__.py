"""Deployment plans: what a spec plus a stage becomes in API Gateway (``resources``), what changes
against a recorded state (``plan``), and the same resources as CloudFormation, SAM or Terraform
(``export``) or applied through the API Gateway API (``deploy``). One pipeline (``pipeline``)
builds the resource graph for all of them."""
