using System.Reflection;
using AgentCluster.Silo.Authentication;
using Grpc.Core;

namespace AgentCluster.Silo.Console;

/// <summary>
/// What every page and call of the console shares: its security headers, the CSRF guard on state
/// changes, the API's refusals (RpcException) as HTTP statuses, and its embedded files.
/// </summary>
internal static class ConsoleHttp
{
    /// <summary>A header no cross-site form can send and no cross-origin script may (no CORS here): the CSRF guard.</summary>
    public const string IntentHeader = "X-AgentCluster-Console";

    /// <summary>No inline script or style, pictures only from here (and the blobs the live screen makes), no framing, no forms.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; "
        + "frame-ancestors 'none'; form-action 'none'; base-uri 'none'";

    public static RouteGroupBuilder WithConsoleHeaders(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            Secure(context.HttpContext.Response.Headers);
            return await next(context);
        });
        return group;
    }

    public static void Secure(IHeaderDictionary headers)
    {
        headers.CacheControl = "no-store";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>
    /// A state change without the intent header, or (for a browser signed in by cookie) without its
    /// sign-in's anti-forgery token, is refused before anything is looked at.
    /// </summary>
    public static Task<IResult> Intended(HttpContext http, Func<Task<IResult>> change) =>
        Guarded(!HasIntent(http) ? MissingIntent
            : ConsoleSignIns.Current(http) is { } signIn && !AntiForgery.Matches(signIn.AntiForgery, http.Request.Headers[AntiForgery.HeaderName])
                ? $"missing or wrong {AntiForgery.HeaderName} token: reload the page"
                : null, change);

    /// <summary>The intent header alone: what a request needs before anyone is signed in (the sign-in itself).</summary>
    public static Task<IResult> IntendedAnonymous(HttpContext http, Func<Task<IResult>> change) =>
        Guarded(HasIntent(http) ? null : MissingIntent, change);

    private const string MissingIntent = $"missing the {IntentHeader} header";

    private static bool HasIntent(HttpContext http) => http.Request.Headers[IntentHeader] == "1";

    private static Task<IResult> Guarded(string? refusal, Func<Task<IResult>> change) =>
        refusal is null ? change() : Task.FromResult(Results.Json(new ConsoleError(refusal), statusCode: StatusCodes.Status403Forbidden));

    public static async Task<IResult> Answer<T>(Func<Task<T>> call)
    {
        try
        {
            var answer = await call();
            return answer as IResult ?? Results.Json(answer);
        }
        catch (RpcException e)
        {
            return Results.Json(new ConsoleError(e.Status.Detail), statusCode: Status(e.StatusCode));
        }
    }

    public static int Status(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.FailedPrecondition => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status503ServiceUnavailable,
    };

    public static Caller Caller(HttpContext http) =>
        Authentication.Caller.FromPrincipal(http.User) ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "sign in with an API key"));

    /// <summary>An embedded script or stylesheet, by its logical name (<c>Console/…</c> or <c>ConsoleShell/…</c>).</summary>
    public static IResult Asset(string name) =>
        Results.Text(Text(name), name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");

    public static string Text(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the console asset {name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static IResult Png(byte[] png) => Results.File(png, "image/png");
}

internal sealed record ConsoleError(string Error);
