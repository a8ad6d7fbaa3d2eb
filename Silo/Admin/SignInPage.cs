using System.Globalization;
using AgentCluster.Silo.Authentication;
using AgentCluster.Silo.Console;
using AgentCluster.Silo.Hosting;

namespace AgentCluster.Silo.Admin;

/// <summary>
/// The console's sign-in on the admin port: <c>GET /signin</c> is a form for an API key (no inline
/// script: its own script posts it), <c>POST /signin</c> checks the key and sets the sign-in cookie,
/// <c>POST /signout</c> forgets the sign-in and the cookie. Both POSTs need the intent header, so no
/// other site can sign a browser in or out.
/// </summary>
internal static class SignInPage
{
    public static void MapSignIn(this WebApplication app, int adminPort)
    {
        app.MapGet(ReturnPath.SignInPage, (HttpContext http) =>
        {
            ConsoleHttp.Secure(http.Response.Headers);
            return Results.Content(ConsolePages.Html("Sign in", ConsoleHttp.Text("ConsoleShell/signin.main.html"),
                ["/console/assets/signin.js"], http), "text/html; charset=utf-8");
        }).RequireLocalPort(adminPort).AllowAnonymous();

        app.MapPost(ReturnPath.SignInPage, (HttpContext http, ConsoleSignIns signIns, SignInForm? form) =>
        {
            ConsoleHttp.Secure(http.Response.Headers);
            return ConsoleHttp.IntendedAnonymous(http, () => SignIn(http, signIns, form));
        }).RequireLocalPort(adminPort).AllowAnonymous();

        app.MapPost("/signout", (HttpContext http, ConsoleSignIns signIns) =>
        {
            ConsoleHttp.Secure(http.Response.Headers);
            return ConsoleHttp.Intended(http, () => SignOut(http, signIns));
        }).RequireLocalPort(adminPort).RequireAuthorization(FrontDoor.SignedInPolicy);
    }

    private static async Task<IResult> SignIn(HttpContext http, ConsoleSignIns signIns, SignInForm? form)
    {
        var answer = await signIns.SignIn(form?.Key, http.Connection.RemoteIpAddress);
        switch (answer.Status)
        {
            case SignInStatus.Throttled:
                var minutes = Math.Max(1, (int)Math.Ceiling(answer.RetryAfter.TotalMinutes));
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(answer.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return Results.Json(new ConsoleError($"Too many failed sign-ins from this address: try again in {minutes} minute{(minutes == 1 ? "" : "s")}."),
                    statusCode: StatusCodes.Status429TooManyRequests);
            case SignInStatus.Refused:
                return Results.Json(new ConsoleError("That API key is unknown or revoked. Check it and try again."),
                    statusCode: StatusCodes.Status401Unauthorized);
        }
        if (ConsoleCookie.Read(http.Request) is { } old)
            await signIns.Abandon(old);
        ConsoleCookie.Set(http, answer.Cookie!, answer.SignIn!.ExpiresAt - answer.SignIn.CreatedAt);
        return Results.Json(new SignedIn(ReturnPath.Safe(form?.Return), answer.SignIn.KeyId));
    }

    private static async Task<IResult> SignOut(HttpContext http, ConsoleSignIns signIns)
    {
        if (ConsoleCookie.Read(http.Request) is { } cookie && ConsoleSignIns.Current(http) is { } signIn)
            await signIns.SignOut(cookie, signIn);
        ConsoleCookie.Expire(http);
        return Results.Json(new SignedOut(ReturnPath.SignInPage));
    }
}

internal sealed record SignInForm(string? Key, string? Return);

internal sealed record SignedIn(string Next, string KeyId);

internal sealed record SignedOut(string Next);
