using System.Text;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;

namespace AgentCluster.Tests.Unit.Silo.Authentication;

public sealed class ApiKeyHeaderTests
{
    private static string Basic(string userPass) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userPass));

    [Theory]
    [InlineData("Bearer agk_abc", "agk_abc")]
    [InlineData("bearer   agk_abc  ", "agk_abc")]
    [InlineData("Bearer ", null)]
    [InlineData("Token agk_abc", null)]
    [InlineData("", null)]
    [InlineData("Basic !!!not-base64", null)]
    public void Reads_a_bearer_key_or_nothing(string header, string? expected) =>
        Assert.Equal(expected, ApiKeyAuthenticationHandler.ReadKey(header));

    [Fact]
    public void Reads_the_password_of_basic_auth_as_the_key()
    {
        Assert.Equal("agk_abc:def", ApiKeyAuthenticationHandler.ReadKey(Basic("admin:agk_abc:def")));
        Assert.Null(ApiKeyAuthenticationHandler.ReadKey(Basic("admin:")));
        Assert.Null(ApiKeyAuthenticationHandler.ReadKey(Basic("no-colon")));
    }

    [Fact]
    public void A_key_id_is_a_prefix_of_its_hash_and_never_contains_the_key()
    {
        var key = ApiKeyId.NewKey();
        var hash = ApiKeyId.Hash(key);
        Assert.Equal(64, hash.Length);
        Assert.Equal("key_" + hash[..16], ApiKeyId.FromHash(hash));
        Assert.StartsWith("agk_", key);
        Assert.True(key.Length >= 4 + 43);
        Assert.NotEqual(key, ApiKeyId.NewKey());
    }
}
