"""The 首问 register, one-time notices (一次性告知), referrals and the department directory with its
refusal bodies (复议机关/法院). Cases that follow a notice live in app.services.cases.records."""
