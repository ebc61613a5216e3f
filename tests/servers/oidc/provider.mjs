// The OpenID Connect provider the SSO tests run on 127.0.0.1: node's oidc-provider (a certified OP),
// with its built-in development sign-in page. Usage: node provider.mjs PORT CONFIG_JSON
// CONFIG_JSON: {"clients": [{client_id, client_secret, redirect_uris}], "accounts": {login: {claims}}}
// Any login is accepted by the sign-in page (it is the provider's business, not Luoshi's); an account
// listed in "accounts" gets those claims, any other login only sub and preferred_username.
import Provider from 'oidc-provider';

const [port, rawConfig] = process.argv.slice(2);
const config = JSON.parse(rawConfig);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    ...client,
  })),
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username', 'employee_number'],
    email: ['email', 'email_verified'],
  },
  async findAccount(ctx, id) {
    const claims = config.accounts[id] || { preferred_username: id };
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  // A first-party client: no consent page, as a government platform does for its own systems.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email');
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['luoshi-test-only'] },
});
provider.proxy = false;
provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
