using System.Collections.Immutable;
using AuditChain = AgentCluster.Audit.AuditChain;
using AuditEvent = AgentCluster.Grains.Audit.AuditEvent;

namespace AgentCluster.Tests.Unit.Protos.Audit;

/// <summary>
/// The canonical detail is hashed into the chain, so every kind of map must give the same bytes:
/// a map already in ordinal order is written as it is, anything else is sorted first.
/// </summary>
public sealed class CanonicalDetailTests
{
    private static readonly (string Key, string Value)[] Pairs =
        [("status", "200"), ("Host", "a.example"), ("path", "/x"), ("bytesIn", "12"), ("_", "u"), ("host", "b.example")];

    private const string Expected = """{"Host":"a.example","_":"u","bytesIn":"12","host":"b.example","path":"/x","status":"200"}""";

    [Fact]
    public void A_map_in_ordinal_order_gives_the_sorted_json() =>
        Assert.Equal(Expected, AuditChain.CanonicalDetail(Pairs.Aggregate(AuditEvent.NoDetail, (d, p) => d.Add(p.Key, p.Value))));

    [Fact]
    public void Pairs_in_any_order_give_the_same_json() =>
        Assert.Equal(Expected, AuditChain.CanonicalDetail(Pairs.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value))));

    [Fact]
    public void A_sorted_map_with_another_order_is_sorted_again()
    {
        var reversed = Comparer<string>.Create((a, b) => string.CompareOrdinal(b, a));
        var map = ImmutableSortedDictionary.CreateRange(reversed, Pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));

        Assert.NotEqual(map.Keys, map.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Expected, AuditChain.CanonicalDetail(map));
    }
}
