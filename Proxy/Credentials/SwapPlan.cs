namespace AgentCluster.Proxy.Credentials;

/// <summary>
/// A resolved stub: the header that carried it comes off, the real headers go on, and what comes
/// back has the real header values put back to the one the client sent (<see cref="StubValue"/>)
/// and the bare secret put back to <see cref="Stub"/>. Never logged.
/// </summary>
public sealed record SwapPlan(string StubHeader, string StubValue, string Stub, IReadOnlyDictionary<string, string> Inject, string Secret)
{
    public override string ToString() => $"SwapPlan {{ StubHeader = {StubHeader}, Inject = [{string.Join(", ", Inject.Keys)}] }}";

    /// <summary>Every text the upstream may echo that would reveal the credential, longest first, with what replaces it.</summary>
    public IEnumerable<(string Real, string Stub)> Revealing => Inject.Values.Select(v => (v, StubValue)).Append((Secret, Stub))
        .Where(p => p.Item1.Length > 0).OrderByDescending(p => p.Item1.Length);

    public bool Reveals(string text) => Revealing.Any(p => text.Contains(p.Real, StringComparison.Ordinal));

    public string Strip(string text) =>
        Revealing.Aggregate(text, (t, p) => t.Replace(p.Real, p.Stub, StringComparison.Ordinal));
}
