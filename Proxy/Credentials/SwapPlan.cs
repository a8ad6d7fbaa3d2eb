namespace AgentCluster.Proxy.Credentials;

/// <summary>
/// A resolved stub: the header that carried it comes off, the real headers go on, and what comes
/// back has the real header values put back to the one the client sent (<see cref="StubValue"/>)
/// and the bare secret put back to <see cref="Stub"/>. Never logged.
/// </summary>
/// <remarks>A class, not a record: what it reveals is derived once, and a copy made with <c>with</c> would keep it stale.</remarks>
public sealed class SwapPlan(string stubHeader, string stubValue, string stub, IReadOnlyDictionary<string, string> inject, string secret)
{
    public string StubHeader { get; } = stubHeader;
    public string StubValue { get; } = stubValue;
    public string Stub { get; } = stub;
    public IReadOnlyDictionary<string, string> Inject { get; } = inject;
    public string Secret { get; } = secret;

    public override string ToString() => $"SwapPlan {{ StubHeader = {StubHeader}, Inject = [{string.Join(", ", Inject.Keys)}] }}";

    /// <summary>
    /// Every text the upstream may echo that would reveal the credential, longest first, with what
    /// replaces it. Made once per plan: every response header and body is checked against it.
    /// </summary>
    public IReadOnlyList<(string Real, string Stub)> Revealing { get; } =
        [.. inject.Values.Select(v => (v, stubValue)).Append((secret, stub)).Where(p => p.Item1.Length > 0).OrderByDescending(p => p.Item1.Length)];

    public bool Reveals(string text)
    {
        foreach (var (real, _) in Revealing)
        {
            if (text.Contains(real, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    public string Strip(string text)
    {
        foreach (var (real, stub) in Revealing)
            text = text.Replace(real, stub, StringComparison.Ordinal);
        return text;
    }
}
