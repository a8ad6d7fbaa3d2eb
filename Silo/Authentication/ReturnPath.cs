namespace AgentCluster.Silo.Authentication;

/// <summary>
/// Where the sign-in page sends the browser afterwards: only a path on this site. Anything else
/// (another host, <c>//host</c>, a scheme, a backslash that browsers read as a slash, a control
/// character that browsers strip) goes to the front door instead, so the page is no open redirect.
/// </summary>
internal static class ReturnPath
{
    public const string Home = "/";
    private const int MaxLength = 2048;

    public static string Safe(string? wanted) =>
        wanted is { Length: > 0 and <= MaxLength } path
        && path[0] == '/'
        && !path.StartsWith("//", StringComparison.Ordinal)
        && !path.Contains('\\', StringComparison.Ordinal)
        && !path.Any(char.IsControl)
        && !path.Any(char.IsWhiteSpace)
        && !IsSignIn(path)
            ? path
            : Home;

    /// <summary>The sign-in page for a browser that asked for <paramref name="request"/>'s page.</summary>
    public static string SignInFor(HttpRequest request)
    {
        var back = Safe($"{request.PathBase}{request.Path}{request.QueryString}");
        return back == Home ? SignInPage : $"{SignInPage}?return={Uri.EscapeDataString(back)}";
    }

    public const string SignInPage = "/signin";

    // Back to the sign-in page would only ask again.
    private static bool IsSignIn(string path) =>
        path.Equals(SignInPage, StringComparison.OrdinalIgnoreCase)
        || path.StartsWith(SignInPage + "?", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith(SignInPage + "/", StringComparison.OrdinalIgnoreCase);
}
