using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentCluster.Proxy.Credentials;

namespace AgentCluster.Tests.Unit.Proxy.Credentials;

public sealed class RevealingFormsTests
{
    private const string Secret = "sk_ü/+\"秘 v&=9Zq";
    private const string Stub = "agc_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

    public static TheoryData<string, string> Echoes => new()
    {
        { "UTF-8", Secret },
        { "System.Text.Json", JsonSerializer.Serialize(Secret).Trim('"') },
        { "JSON lower \\u", "sk_\\u00fc/+\\\"\\u79d8 v&=9Zq" },
        { "JSON escaped slash", "sk_\\u00fc\\/+\\\"\\u79d8 v&=9Zq" },
        { "URL", Uri.EscapeDataString(Secret) },
        { "URL lower hex", Regex.Replace(Uri.EscapeDataString(Secret), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()) },
        { "form", WebUtility.UrlEncode(Secret) },
        { "base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)) },
        { "base64url", Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)).TrimEnd('=').Replace('+', '-').Replace('/', '_') },
        { "base64 at offset 1", Convert.ToBase64String([7, .. Encoding.UTF8.GetBytes(Secret), 8, 9]) },
        { "base64 at offset 2", Convert.ToBase64String([7, 7, .. Encoding.UTF8.GetBytes(Secret), 8]) },
    };

    [Theory]
    [MemberData(nameof(Echoes))]
    public void Every_spelling_of_the_secret_is_replaced_and_leaves_none_of_its_bytes_decodable(string name, string echoed)
    {
        var forms = RevealingForms.Of(Secret, Stub);
        var body = Encoding.UTF8.GetBytes($"{{\"echo\":\"{echoed}\"}}");

        var stripped = Encoding.UTF8.GetString(RollingStrip.Apply(forms, body));

        Assert.False(stripped.Contains(echoed, StringComparison.Ordinal), name);
        if (name.StartsWith("base64 at", StringComparison.Ordinal))
            Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(Convert.FromBase64String(stripped[9..^2])), StringComparison.Ordinal);
    }

    [Fact]
    public void Forms_come_longest_first_and_none_twice()
    {
        var forms = RevealingForms.Of("plain-ascii-secret", Stub);
        Assert.Equal(forms.Count, forms.Select(f => Convert.ToBase64String(f.Real)).Distinct().Count());
        Assert.Equal(forms.OrderByDescending(f => f.Real.Length).Select(f => f.Real.Length), forms.Select(f => f.Real.Length));
    }

    [Fact]
    public void A_header_value_read_as_latin1_still_loses_a_non_ascii_secret()
    {
        var plan = new SwapPlan("Authorization", "Bearer " + Stub, Stub, new Dictionary<string, string> { ["X-Key"] = "k " + Secret }, Secret);
        var asLatin1 = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("echo " + Secret));

        Assert.True(plan.Reveals(asLatin1));
        Assert.Equal("echo " + Stub, plan.Strip(asLatin1));
        Assert.Equal("echo " + Stub, plan.Strip("echo " + Secret));
        Assert.False(plan.Reveals("nothing here"));
    }
}
