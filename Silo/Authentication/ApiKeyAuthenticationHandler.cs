using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using AgentCluster.Grains.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AgentCluster.Silo.Authentication;

/// <summary>
/// Accepts <c>Authorization: Bearer &lt;key&gt;</c> (gRPC, scripts) and Basic with the key as the
/// password (a browser opening the dashboard). The key is hashed at once and only its hash
/// travels to the key grain.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ReadKey(Request.Headers.Authorization.ToString());
        if (presented is null)
            return AuthenticateResult.NoResult();

        var hash = ApiKeyId.Hash(presented);
        var key = await grains.GetGrain<IApiKeyGrain>(ApiKeyId.FromHash(hash)).Authenticate(hash);
        if (key is null)
            return AuthenticateResult.Fail("unknown or revoked API key");

        var principal = new ClaimsPrincipal(new ClaimsIdentity(Caller.ToClaims(key), SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>What a 401 says: how to sign in, so that a browser's cancelled prompt does not leave a blank page.</summary>
    public const string SignInHelp =
        "Sign in with any user name and an API key as the password (a browser asks for them), or send "
        + "'Authorization: Bearer <key>'. The cluster-admin key is in admin.key in the node's data folder "
        + "(./data/admin.key for ./build.sh run); agentctl keys create --role approver makes an approver's key.";

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"AgentCluster admin\", charset=\"UTF-8\"";
        Response.ContentType = "text/plain; charset=utf-8";
        var why = Request.Headers.Authorization.Count > 0 ? "The API key given is unknown or revoked. " : "";
        return Response.WriteAsync($"401 Unauthorized. {why}{SignInHelp}\n");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.ContentType = "text/plain; charset=utf-8";
        return Response.WriteAsync("403 Forbidden: this key's roles do not open this page; / lists the pages it may see.\n");
    }

    internal static string? ReadKey(string header)
    {
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return NonEmpty(header["Bearer ".Length..].Trim());
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return null;
        try
        {
            var userPass = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = userPass.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : NonEmpty(userPass[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? NonEmpty(string s) => s.Length == 0 ? null : s;
}
