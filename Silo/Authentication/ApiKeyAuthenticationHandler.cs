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

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"AgentCluster admin\", charset=\"UTF-8\"";
        return Task.CompletedTask;
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
