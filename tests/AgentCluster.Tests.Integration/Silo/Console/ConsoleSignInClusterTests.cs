using System.Net;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Silo.Console;

/// <summary>
/// A console sign-in is the cluster's, not one silo's: the admin port is on every silo and a browser
/// may reach any of them. Two silo processes on one PostgreSQL database, then a third after both stop.
/// </summary>
public sealed class ConsoleSignInClusterTests
{
    private static readonly string AdminKey = "agk_test-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_cookie_from_one_silo_opens_the_console_on_another_and_outlives_every_silo_that_served_it()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var dir = new TempDir();
        var args = PostgresSilos.Args(db.ConnectionString);
        var env = PostgresSilos.Env(AdminKey);
        await using var a = SiloProcess.Start(dir.Sub("a"), args, env);
        await using var b = SiloProcess.Start(dir.Sub("b"), args, env);
        await Task.WhenAll(a.WaitHealthyAsync(), b.WaitHealthyAsync());

        using var onA = new CookieHttp(a.AdminEndpoint);
        using var onB = new CookieHttp(b.AdminEndpoint);
        var (cookie, _) = await onA.SignIn(AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await onB.Send(HttpMethod.Get, "/console/api/me", cookie)).StatusCode);
        var token = await onB.Csrf(cookie);
        Assert.Equal(token, await onA.Csrf(cookie));

        // The silo that signed it in goes away; the other still knows the browser.
        await a.StopAsync();
        Assert.Equal(HttpStatusCode.OK, (await onB.Send(HttpMethod.Get, "/console/api/me", cookie)).StatusCode);

        // The whole cluster restarts: a new silo reads the sign-in back from the database.
        await b.StopAsync();
        await using var c = SiloProcess.Start(dir.Sub("c"), args, env);
        await c.WaitHealthyAsync();
        using var onC = new CookieHttp(c.AdminEndpoint);
        Assert.Equal(HttpStatusCode.OK, (await onC.Send(HttpMethod.Get, "/console/api/me", cookie)).StatusCode);
        Assert.Equal(token, await onC.Csrf(cookie));

        Assert.Equal(HttpStatusCode.OK, (await onC.Send(HttpMethod.Post, "/signout", cookie, intent: true, csrf: token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onC.Send(HttpMethod.Get, "/console/api/me", cookie)).StatusCode);
    }
}
