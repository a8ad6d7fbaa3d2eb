using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.ComputerProtocol;
using AgentCluster.Tests.Integration.Grains.Computer;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Silo.Api;

/// <summary>A tenant of the computer node: its keys, and what its tests do through the gRPC API.</summary>
public sealed class ComputerTenant(string name, string desktopImage, string dataDir, ApiClients orchestrator, ApiClients approver) : IDisposable
{
    public string Name => name;
    public string DesktopImage => desktopImage;
    public ApiClients Orchestrator => orchestrator;
    public ApiClients Approver => approver;

    /// <summary>A Ready session of the desktop image (or <paramref name="image"/>), its allowlist as given.</summary>
    public async Task<Session> NewSession(string? image = null, params string[] allowHosts)
    {
        var session = await orchestrator.Sessions.CreateSessionAsync(new CreateSessionRequest
        {
            Image = image ?? desktopImage, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)), AllowHosts = { allowHosts },
        });
        Assert.True(session.State == "Ready", $"the session is {session.State}: {session.Reason}");
        return session;
    }

    /// <summary>Runs <paramref name="test"/> on a new Ready session (a desktop unless <paramref name="image"/> says), killed after, pass or fail.</summary>
    public async Task With(Func<Session, Task> test, string? image = null, params string[] allowHosts)
    {
        var session = await NewSession(image, allowHosts);
        try
        {
            await test(session);
        }
        finally
        {
            await Kill(session);
        }
    }

    public Task<ScreenshotResponse> Screenshot(string session, double scale = 0) =>
        orchestrator.Computer.ScreenshotAsync(new ScreenshotRequest { Session = session, Scale = scale }).ResponseAsync;

    public Task<ActResponse> Act(ActRequest request) => orchestrator.Computer.ActAsync(request).ResponseAsync;

    /// <summary>Opens a page given as HTML (no '#', no newline) through the API's navigate.</summary>
    public Task Open(string session, string html) => Act(new ActRequest { Session = session, Action = "navigate", Url = "data:text/html," + html });

    /// <summary>Waits until the screen shows <paramref name="colour"/> at a point and holds still (<see cref="ScreenWait"/>).</summary>
    public Task<PngImage> WaitForColour(string session, int x, int y, (byte R, byte G, byte B) colour, string what) =>
        ScreenWait.ForColour(async () => (await Screenshot(session)).Png.ToByteArray(), x, y, colour, what);

    public Task<List<(string Kind, string Outcome, string Reason, string Detail)>> AuditRows(string? session = null) =>
        BrokerAudit.Rows(dataDir, name, session);

    /// <summary>The host of each of the session's egress rows (forwarded, denied or completed).</summary>
    public async Task<List<string>> EgressHosts(string session) =>
        [.. (await AuditRows(session)).Where(r => r.Kind.StartsWith("egress.", StringComparison.Ordinal))
            .Select(r => JsonDocument.Parse(r.Detail).RootElement.GetProperty("host").GetString() ?? "")];

    /// <summary>
    /// The session's computer.action rows (outcome, detail) once they are all written: rows nobody waits
    /// for are batched, so a cursor_position goes last and its row, in the chain after every earlier one, is awaited.
    /// </summary>
    public async Task<List<(string Outcome, JsonElement Detail)>> ComputerRows(string session)
    {
        await Act(new ActRequest { Session = session, Action = "cursor_position" });
        List<(string Outcome, JsonElement Detail)> rows = [];
        await Eventually.True(async () =>
        {
            rows = [.. (await AuditRows(session)).Where(r => r.Kind == "computer.action")
                .Select(r => (r.Outcome, JsonDocument.Parse(r.Detail).RootElement))];
            return rows.Count > 0 && rows[^1].Detail.GetProperty("action").GetString() == "cursor_position";
        }, "the computer.action row of the last action");
        return rows[..^1];
    }

    public Task Kill(Session session) =>
        orchestrator.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id, Reason = "test over" }).ResponseAsync;

    public void Dispose()
    {
        orchestrator.Dispose();
        approver.Dispose();
    }
}
