namespace AgentCluster.Client.Errors;

/// <summary>
/// Last line of defence for the caller's own API key and any secret value the run read (<c>secrets put</c>):
/// whatever produced an error text (a parser echoing a token, a server echoing a header or a request field),
/// the secret does not reach the terminal.
/// </summary>
internal sealed class SecretRedactor(IEnumerable<string> secrets)
{
    public const string Mask = "***";

    // Longest first, so a key that contains another candidate is masked whole.
    private readonly string[] _secrets =
    [
        .. secrets.SelectMany(s => new[] { s, s.Trim() })
            .Where(s => s.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length),
    ];

    public string Redact(string text) =>
        _secrets.Aggregate(text, (current, secret) => current.Replace(secret, Mask, StringComparison.Ordinal));
}
