using System.Runtime.CompilerServices;
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
    /// <summary>
    /// Spellings by the secret string they were made for, which is the one instance a reused grant
    /// answer holds: a plan per request does not spell the secret again per request, and an entry
    /// goes with the answer (weak keys), so no copy of the secret outlives it.
    /// </summary>
    private static readonly ConditionalWeakTable<string, Spelled> Spellings = new();

    private Spelled? _spelled;

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
    public IReadOnlyList<(byte[] Real, byte[] Replacement)> Forms => Spelling.Forms;

    private Spelled Spelling => _spelled ??= Spell();

    private Spelled Spell()
    {
        if (Spellings.TryGetValue(Secret, out var known) && known.Fits(this))
            return known;
        var made = Spelled.Of(this);
        Spellings.AddOrUpdate(Secret, made);
        return made;
    }

    /// <summary>A new strip for one response body.</summary>
    public RollingStrip BodyStrip() => new(Forms);

    /// <summary>Whether a header value shows any form, read as Latin-1 or UTF-8; no allocation when it does not.</summary>
    public bool Reveals(string text)
    {
        foreach (var form in Spelling.Texts)
        {
            if (text.Contains(form, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>
    /// A header value, looked at as the bytes it came as: Latin-1 (how the forwarder reads header
    /// bytes) and UTF-8 (how a non-ASCII value may have been read); the same instance when nothing changed.
    /// </summary>
    public string Strip(string text)
    {
        if (!Reveals(text))
            return text;
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

    /// <summary>The forms of one plan's credential, and each as text for a header's quick look.</summary>
    private sealed class Spelled(string stubValue, string stub, IReadOnlyDictionary<string, string> inject,
        IReadOnlyList<(byte[] Real, byte[] Replacement)> forms)
    {
        public IReadOnlyList<(byte[] Real, byte[] Replacement)> Forms { get; } = forms;

        public IReadOnlyList<string> Texts { get; } =
            [.. forms.SelectMany(f => (string[])[Encoding.Latin1.GetString(f.Real), Encoding.UTF8.GetString(f.Real)]).Distinct(StringComparer.Ordinal)];

        public bool Fits(SwapPlan plan) => plan.StubValue == stubValue && plan.Stub == stub && ReferenceEquals(plan.Inject, inject);

        public static Spelled Of(SwapPlan plan) => new(plan.StubValue, plan.Stub, plan.Inject,
            [.. plan.Inject.Values.Select(v => (v, plan.StubValue)).Append((plan.Secret, plan.Stub)).Where(p => p.Item1.Length > 0)
                .SelectMany(p => RevealingForms.Of(p.Item1, p.Item2)).DistinctBy(f => Convert.ToBase64String(f.Real))
                .OrderByDescending(f => f.Real.Length)]);
    }
}
