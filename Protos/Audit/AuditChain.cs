using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AgentCluster.Audit;

/// <summary>The fields of a row that its hash covers, in their canonical order.</summary>
public readonly record struct AuditRowFields(
    long Seq, long AtMs, string Tenant, string Actor, string Kind, string Subject, string Outcome, string Reason, string Detail);

/// <summary>
/// The hash chain: <c>hash = SHA-256(prev_hash || canonical bytes of the row)</c>. The audit log
/// grain writes with it and the SDK verifies with it, so a log is checked by the very same code.
/// </summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    /// <summary>A JSON array of the fields in fixed order: unambiguous, and stable across runtimes.</summary>
    public static byte[] CanonicalBytes(in AuditRowFields f)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartArray();
            json.WriteNumberValue(f.Seq);
            json.WriteNumberValue(f.AtMs);
            foreach (var s in new[] { f.Tenant, f.Actor, f.Kind, f.Subject, f.Outcome, f.Reason, f.Detail })
                json.WriteStringValue(s);
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }

    public static string ComputeHash(string prevHash, in AuditRowFields fields)
    {
        var prev = Convert.FromHexString(prevHash);
        var row = CanonicalBytes(fields);
        var input = new byte[prev.Length + row.Length];
        prev.CopyTo(input, 0);
        row.CopyTo(input, prev.Length);
        return Convert.ToHexStringLower(SHA256.HashData(input));
    }

    /// <summary>The canonical JSON of a detail map: keys sorted ordinally, string values only.</summary>
    public static string CanonicalDetail(IEnumerable<KeyValuePair<string, string>> detail)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            // Audit rows come thousands a second, and their maps are mostly ordinal-sorted already.
            var sorted = detail is System.Collections.Immutable.ImmutableSortedDictionary<string, string> map && map.KeyComparer.Equals(StringComparer.Ordinal)
                ? detail
                : detail.OrderBy(p => p.Key, StringComparer.Ordinal);
            foreach (var (k, v) in sorted)
                json.WriteString(k, v);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Checks one tenant's rows in seq order: seq starts at 1 with no gaps, each row links to
    /// the previous hash, and each stored hash matches its recomputed one. With an anchor, the
    /// log must still contain that exact (seq, hash).
    /// </summary>
    public static AuditVerification Verify(IEnumerable<AuditChainRow> rows, AuditAnchor? anchor = null)
    {
        var expectedSeq = 1L;
        var prev = Genesis;
        var anchorSeen = false;
        foreach (var row in rows)
        {
            if (row.Fields.Seq != expectedSeq)
                return AuditVerification.Bad(expectedSeq - 1, expectedSeq, $"expected seq {expectedSeq}, found {row.Fields.Seq} (rows missing or out of order)");
            if (!string.Equals(row.PrevHash, prev, StringComparison.OrdinalIgnoreCase))
                return AuditVerification.Bad(expectedSeq - 1, row.Fields.Seq, "prev_hash does not match the previous row's hash");
            var recomputed = ComputeHash(prev, row.Fields);
            if (!string.Equals(recomputed, row.Hash, StringComparison.OrdinalIgnoreCase))
                return AuditVerification.Bad(expectedSeq - 1, row.Fields.Seq, "row content does not match its hash");
            if (anchor is { } a && a.Seq == row.Fields.Seq)
            {
                if (!string.Equals(a.Hash, row.Hash, StringComparison.OrdinalIgnoreCase))
                    return AuditVerification.Bad(expectedSeq - 1, row.Fields.Seq, "row hash differs from the anchor (the chain was rewritten)");
                anchorSeen = true;
            }
            prev = row.Hash;
            expectedSeq++;
        }

        var checkedRows = expectedSeq - 1;
        if (anchor is { } missing && !anchorSeen)
            return AuditVerification.Bad(checkedRows, missing.Seq, $"anchor seq {missing.Seq} is missing (the log ends at seq {checkedRows}): rows were deleted");
        return new AuditVerification(true, checkedRows, null, null);
    }
}

public readonly record struct AuditChainRow(AuditRowFields Fields, string PrevHash, string Hash);

public readonly record struct AuditAnchor(long Seq, string Hash)
{
    /// <summary>Parses <c>seq:hash</c>, as <c>agentctl audit head</c> prints it.</summary>
    public static bool TryParse(string text, out AuditAnchor anchor)
    {
        anchor = default;
        var parts = text.Split(':', 2);
        if (parts.Length != 2 || !long.TryParse(parts[0], out var seq) || seq < 1 || parts[1].Length != 64
            || !parts[1].All(Uri.IsHexDigit))
            return false;
        anchor = new AuditAnchor(seq, parts[1].ToLowerInvariant());
        return true;
    }
}

public readonly record struct AuditVerification(bool Ok, long RowsChecked, long? FirstBadSeq, string? Problem)
{
    public static AuditVerification Bad(long rowsChecked, long seq, string problem) => new(false, rowsChecked, seq, problem);
}
