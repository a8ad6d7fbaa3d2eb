using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using AgentCluster.Grains.Hosting;
using AgentCluster.Grains.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AgentCluster.Silo.Authentication;

/// <summary>
/// Accepts <c>Authorization: Bearer &lt;key&gt;</c> (gRPC, scripts), Basic with the key as the
/// password, and on the admin port the console's sign-in cookie (<see cref="ConsoleSignIns"/>).
/// A key is hashed at once and only its hash travels to the key grain. A browser that asks for a
/// page with no credentials is sent to the sign-in page; anything else hears 401.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    ConsoleSignIns signIns,
    IOptions<AgentClusterOptions> cluster) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The authentication method claim of a request signed in by the console's cookie.</summary>
    public const string CookieMethod = "console-cookie";

    private bool OnAdminPort => Context.Connection.LocalPort == cluster.Value.Ports.Admin;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0 && OnAdminPort && ConsoleCookie.Read(Request) is { } cookie)
            return await FromCookie(cookie);
        var presented = ReadKey(header);
        if (presented is null)
            return AuthenticateResult.NoResult();

        var hash = ApiKeyId.Hash(presented);
        var key = await grains.GetGrain<IApiKeyGrain>(ApiKeyId.FromHash(hash)).Authenticate(hash);
        if (key is null)
            return AuthenticateResult.Fail("unknown or revoked API key");

        var principal = new ClaimsPrincipal(new ClaimsIdentity(Caller.ToClaims(key), SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private async Task<AuthenticateResult> FromCookie(string cookie)
    {
        if (await signIns.Authenticate(cookie) is not { } found)
            return AuthenticateResult.Fail("the console sign-in has ended");
        ConsoleSignIns.SetCurrent(Context, found.SignIn);
        var claims = Caller.ToClaims(found.Key).Append(new Claim(ClaimTypes.AuthenticationMethod, CookieMethod));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>What a 401 says: how to sign in, so that a refusal does not leave a blank page.</summary>
    public const string SignInHelp =
        "Sign in to the console at /signin with an API key, or send 'Authorization: Bearer <key>' (or Basic with any "
        + "user name and the key as the password). The cluster-admin key is in admin.key in the node's data folder "
        + "(./data/admin.key for ./build.sh run); agentctl keys create --role approver makes an approver's key.";

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var cookie = OnAdminPort ? ConsoleCookie.Read(Request) : null;
        // An ended sign-in's cookie is of no more use: the browser drops it.
        if (cookie is not null)
            ConsoleCookie.Expire(Context);
        if (Request.Headers.Authorization.Count == 0 && OnAdminPort && WantsPage(Request))
        {
            Response.Redirect(ReturnPath.SignInFor(Request));
            return Task.CompletedTask;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"AgentCluster admin\", charset=\"UTF-8\"";
        Response.ContentType = "text/plain; charset=utf-8";
        var why = Request.Headers.Authorization.Count > 0 ? "The API key given is unknown or revoked. "
            : cookie is not null ? "The console sign-in has ended (signed out, expired, or its key revoked). "
            : "";
        return Response.WriteAsync($"401 Unauthorized. {why}{SignInHelp}\n");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.ContentType = "text/plain; charset=utf-8";
        return Response.WriteAsync("403 Forbidden: this key's roles do not open this page; / lists the pages it may see.\n");
    }

    /// <summary>A browser's navigation to a page: a GET (or HEAD) that takes HTML. Scripts and fetches keep their 401.</summary>
    internal static bool WantsPage(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

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
