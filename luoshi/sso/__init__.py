"""Single sign-on beside the local password: OpenID Connect and LDAP / Active Directory (docs/sso.md)."""
