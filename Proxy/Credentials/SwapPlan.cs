using System.Text;

namespace AgentCluster.Proxy.Credentials;

/// <summary>
/// A resolved stub: the header that carried it comes off, the real headers go on, and what comes
/// back has the real header values put back to the one the client sent (<see cref="StubValue"/>)
/// and the bare secret put back to <see cref="Stub"/>, in every spelling of <see cref="RevealingForms"/>. Never logged.
/// </summary>
/// <remarks>A class, not a record: what it reveals is derived once, and a copy made with <c>with</c> would keep it stale.</remarks>
public sealed class SwapPlan(string stubHeader, string stubValue, string stub, IReadOnlyDictionary<string, string> inject, string secret)
{
    private IReadOnlyList<(byte[] Real, byte[] Replacement)>? _forms;

    public string StubHeader { get; } = stubHeader;
    public string StubValue { get; } = stubValue;
    public string Stub { get; } = stub;
    public IReadOnlyDictionary<string, string> Inject { get; } = inject;
    public string Secret { get; } = secret;

    public override string ToString() => $"SwapPlan {{ StubHeader = {StubHeader}, Inject = [{string.Join(", ", Inject.Keys)}] }}";

    /// <summary>
    /// Every byte sequence the upstream may echo that would reveal the credential, longest first,
    /// with what replaces it. Made once per plan, on first use.
    /// </summary>
    public IReadOnlyList<(byte[] Real, byte[] Replacement)> Forms => _forms ??=
        [.. Inject.Values.Select(v => (v, StubValue)).Append((Secret, Stub)).Where(p => p.Item1.Length > 0)
            .SelectMany(p => RevealingForms.Of(p.Item1, p.Item2)).DistinctBy(f => Convert.ToBase64String(f.Real))
            .OrderByDescending(f => f.Real.Length)];

    /// <summary>A new strip for one response body.</summary>
    public RollingStrip BodyStrip() => new(Forms);

    public bool Reveals(string text) => !ReferenceEquals(Strip(text), text);

    /// <summary>
    /// A header value, looked at as the bytes it came as: Latin-1 (how the forwarder reads header
    /// bytes) and UTF-8 (how a non-ASCII value may have been read); the same instance when nothing changed.
    /// </summary>
    public string Strip(string text)
    {
        var stripped = text;
        if (stripped.All(c => c <= '\u00ff'))
            stripped = Replaced(stripped, Encoding.Latin1);
        return Replaced(stripped, Encoding.UTF8);
    }

    private string Replaced(string text, Encoding encoding)
    {
        var bytes = encoding.GetBytes(text);
        var stripped = RollingStrip.Apply(Forms, bytes);
        return stripped.AsSpan().SequenceEqual(bytes) ? text : encoding.GetString(stripped);
    }
}
