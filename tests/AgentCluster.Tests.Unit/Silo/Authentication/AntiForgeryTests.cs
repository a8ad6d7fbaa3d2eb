using AgentCluster.Grains.SignIns;
using AgentCluster.Silo.Authentication;

namespace AgentCluster.Tests.Unit.Silo.Authentication;

public sealed class AntiForgeryTests
{
    [Fact]
    public void Only_the_exact_token_matches()
    {
        var token = ConsoleSignInTokens.New();
        Assert.True(AntiForgery.Matches(token, token));
        Assert.True(AntiForgery.Matches(token, new string(token.ToCharArray())));
        Assert.False(AntiForgery.Matches(token, null));
        Assert.False(AntiForgery.Matches(token, ""));
        Assert.False(AntiForgery.Matches(token, token[..^1]));
        Assert.False(AntiForgery.Matches(token, token + "x"));
        Assert.False(AntiForgery.Matches(token, token.ToUpperInvariant() == token ? token.ToLowerInvariant() : token.ToUpperInvariant()));
        Assert.False(AntiForgery.Matches(token, ConsoleSignInTokens.New()));
        // A sign-in without a token (there is none) never matches anything, not even nothing.
        Assert.False(AntiForgery.Matches("", ""));
    }

    [Fact]
    public void Tokens_are_32_random_bytes_and_the_grain_key_is_a_hash_not_the_cookie()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => ConsoleSignInTokens.New()).ToList();
        Assert.Equal(100, tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.All(tokens, t => Assert.Equal(43, t.Length));
        Assert.All(tokens, t => Assert.Matches("^[A-Za-z0-9_-]+$", t));
        var hash = ConsoleSignInTokens.Hash(tokens[0]);
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.DoesNotContain(tokens[0], hash, StringComparison.Ordinal);
        Assert.Equal(hash, ConsoleSignInTokens.Hash(tokens[0]));
    }
}
