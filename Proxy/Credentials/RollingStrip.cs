using System.Buffers;

namespace AgentCluster.Proxy.Credentials;

/// <summary>
/// Replaces every form of a secret in a byte stream fed piece by piece. It holds back the last
/// (longest form − 1) bytes of each piece until the next one arrives, so a secret split across
/// pieces, or arriving anywhere in a body of any length, is still found whole; leftmost match
/// first, the longest at a tie. Each form's next position is remembered, so a body full of matches
/// costs one pass per form, not one per match.
/// </summary>
public sealed class RollingStrip(IReadOnlyList<(byte[] Real, byte[] Replacement)> forms)
{
    private readonly int _hold = forms.Count == 0 ? 0 : forms.Max(f => f.Real.Length) - 1;
    private byte[] _held = [];

    /// <summary>Takes the next piece; what may already go on is written to <paramref name="output"/>.</summary>
    public void Next(ReadOnlySpan<byte> piece, IBufferWriter<byte> output) => Run([.. _held, .. piece], output, final: false);

    /// <summary>The stream ended: what was held back goes too.</summary>
    public void End(IBufferWriter<byte> output) => Run(_held, output, final: true);

    /// <summary>The whole of <paramref name="data"/> at once.</summary>
    public static byte[] Apply(IReadOnlyList<(byte[] Real, byte[] Replacement)> forms, ReadOnlySpan<byte> data)
    {
        var output = new ArrayBufferWriter<byte>(data.Length + 16);
        var strip = new RollingStrip(forms);
        strip.Next(data, output);
        strip.End(output);
        return output.WrittenSpan.ToArray();
    }

    private void Run(byte[] data, IBufferWriter<byte> output, bool final)
    {
        // A match that starts before the limit is whole in data; one after it may still grow.
        var limit = final ? data.Length : data.Length - _hold;
        var next = new int[forms.Count];
        Array.Fill(next, -2);
        var cursor = 0;
        while (Leftmost(data, cursor, next) is { } match && match.At < limit)
        {
            output.Write(data.AsSpan(cursor, match.At - cursor));
            output.Write(forms[match.Form].Replacement);
            cursor = match.At + forms[match.Form].Real.Length;
        }
        var safe = Math.Max(cursor, limit);
        output.Write(data.AsSpan(cursor, safe - cursor));
        _held = data[safe..];
    }

    /// <summary>The first form found at or after <paramref name="cursor"/>; -2 in <paramref name="next"/> means not looked for yet, -1 none left.</summary>
    private (int Form, int At)? Leftmost(byte[] data, int cursor, int[] next)
    {
        (int Form, int At)? best = null;
        for (var i = 0; i < forms.Count; i++)
        {
            if (next[i] == -2 || (next[i] >= 0 && next[i] < cursor))
            {
                var found = data.AsSpan(cursor).IndexOf(forms[i].Real);
                next[i] = found < 0 ? -1 : cursor + found;
            }
            if (next[i] >= 0 && (best is not { } b || next[i] < b.At || (next[i] == b.At && forms[i].Real.Length > forms[b.Form].Real.Length)))
                best = (i, next[i]);
        }
        return best;
    }
}
