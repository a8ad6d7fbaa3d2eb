using System.Net;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Silo.Console;

/// <summary>The sign-in form is no way to guess keys: a node of its own, since the count is per address and every test comes from loopback.</summary>
public sealed class ConsoleSignInThrottleTests(SqliteNodeFixture node) : IClassFixture<SqliteNodeFixture>
{
    [Fact]
    public async Task After_a_few_wrong_keys_an_address_may_not_try_even_the_right_one_and_scripts_keys_still_work()
    {
        using var http = new CookieHttp(node.Silo.AdminEndpoint);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await http.PostSignIn($"agk_guess-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Null(CookieHttp.SetCookie(wrong));
        }

        var blocked = await http.PostSignIn(node.AdminKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Null(CookieHttp.SetCookie(blocked));
        Assert.True(blocked.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After on the refusal");
        Assert.Contains("Too many failed sign-ins", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var refusals = (await BrokerAudit.Rows(node.DataDir, "system")).Where(r => r is { Kind: "console.signed_in", Outcome: "denied" }).ToList();
        Assert.Equal(5, refusals.Count);
        Assert.All(refusals, r => Assert.DoesNotContain("agk_guess", r.Detail, StringComparison.Ordinal));

        // A script's key in the Authorization header is no sign-in through the form, and is not held up.
        using var script = new HttpClient();
        script.DefaultRequestHeaders.Authorization = new("Bearer", node.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync($"{node.Silo.AdminEndpoint}/console/api/me")).StatusCode);
    }
}
