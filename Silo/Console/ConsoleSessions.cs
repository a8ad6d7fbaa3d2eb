using System.Text.Json;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Computer;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Api;
using AgentCluster.Silo.Authentication;
using Grpc.Core;

namespace AgentCluster.Silo.Console;

/// <summary>
/// The Sessions pages: the list (paged, filtered, pushed as server-sent events), one session's
/// screen and Kill. The roles are the session API's: reading needs orchestrator, admin or auditor;
/// killing orchestrator or admin. Watching a screen is audited (<see cref="AuditKinds.ConsoleScreenViewed"/>).
/// </summary>
internal sealed class ConsoleSessions(IGrainFactory grains, ConsoleSessionTrail trail, IAuditLog audit, ScreenViewThrottle viewings)
{
    public const int PageSize = 20;
    private static readonly string[] Readers = [Roles.Orchestrator, Roles.Admin, Roles.Auditor];
    private static readonly string[] Killers = [Roles.Orchestrator, Roles.Admin];
    private static readonly TimeSpan StreamPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public Task<SessionInfo> Visible(Caller caller, string id) => ApiLookups.VisibleSession(grains, caller.Require(Readers), id);

    public async Task<ConsoleSessionPage> Page(Caller caller, SessionFilter filter)
    {
        caller.Require(Readers);
        IReadOnlyList<string> tenants = string.IsNullOrEmpty(filter.Tenant) && caller.IsClusterAdmin
            ? await grains.GetGrain<ITenantRegistryGrain>(ITenantRegistryGrain.Key).List()
            : [await ApiLookups.ExistingTenant(grains, caller.TenantFor(filter.Tenant ?? ""))];
        var ids = (await Task.WhenAll(tenants.Select(t => grains.GetGrain<ITenantGrain>(t).ListSessions()))).SelectMany(x => x);
        var wanted = filter.Matches();
        var sessions = (await Task.WhenAll(ids.Select(id => grains.GetGrain<ISessionGrain>(id).Get())))
            .OfType<SessionInfo>().Where(wanted).OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        var pages = Math.Max(1, (sessions.Count + PageSize - 1) / PageSize);
        var page = Math.Clamp(filter.Page ?? 1, 1, pages);
        return new([.. sessions.Skip((page - 1) * PageSize).Take(PageSize).Select(ConsoleSessionRow.From)], page, pages, sessions.Count);
    }

    /// <summary>
    /// The list as server-sent events: the page now, then again whenever it changes. A refusal comes
    /// before the stream starts, as a status the page can show.
    /// </summary>
    public async Task Stream(HttpContext http, Caller caller, SessionFilter filter)
    {
        var ct = http.RequestAborted;
        ConsoleSessionPage page;
        try
        {
            page = await Page(caller, filter);
        }
        catch (RpcException e)
        {
            http.Response.StatusCode = ConsoleHttp.Status(e.StatusCode);
            await http.Response.WriteAsJsonAsync(new ConsoleError(e.Status.Detail), ct);
            return;
        }
        http.Response.ContentType = "text/event-stream";
        var sent = "";
        var quietSince = DateTime.UtcNow;
        try
        {
            while (true)
            {
                var json = JsonSerializer.Serialize(page, Web);
                if (json != sent)
                {
                    await http.Response.WriteAsync($"data: {json}\n\n", ct);
                    (sent, quietSince) = (json, DateTime.UtcNow);
                }
                else if (DateTime.UtcNow - quietSince > KeepAlive)
                {
                    await http.Response.WriteAsync(": still here\n\n", ct);
                    quietSince = DateTime.UtcNow;
                }
                await http.Response.Body.FlushAsync(ct);
                await Task.Delay(StreamPoll, ct);
                page = await Page(caller, filter);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    public async Task<ConsoleSessionDetail> Detail(Caller caller, string id, CancellationToken ct)
    {
        var session = await Visible(caller, id);
        return await trail.Detail(session, Killers.Any(caller.Roles.Contains), ct);
    }

    /// <summary>
    /// A fresh screenshot, view only: the console never sends input. The first picture a key sees of
    /// a session (and again every few minutes while it watches) is shown only once that is on record.
    /// </summary>
    public async Task<IResult> Screen(Caller caller, string id, double? scale)
    {
        var session = await Visible(caller, id);
        if (scale is { } s && !(s > 0 && s <= 1))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "scale must be in (0, 1]"));
        var shot = await grains.GetGrain<IComputerGrain>(id).Frame(null, scale);
        if (shot.Status == ComputerStatus.Done && shot.Png is not null)
            await Viewed(caller, session, scale is null ? "live" : "thumbnail");
        return shot.Status switch
        {
            ComputerStatus.Done when shot.Png is { } png => ConsoleHttp.Png(png),
            ComputerStatus.NotFound => throw Caller.NotFound("session", id),
            ComputerStatus.Invalid => throw new RpcException(new Status(StatusCode.InvalidArgument, shot.Error ?? "invalid")),
            ComputerStatus.NotDesktop or ComputerStatus.Ended => throw new RpcException(new Status(StatusCode.FailedPrecondition, shot.Error ?? "no screen")),
            _ => throw new RpcException(new Status(StatusCode.Unavailable, shot.Error ?? "the screen did not answer")),
        };
    }

    /// <summary>Who watched: the key's id (never its secret), in the session's tenant's chain, the session as subject.</summary>
    private async Task Viewed(Caller caller, SessionInfo session, string view)
    {
        if (!viewings.Claim(caller.KeyId, session.Id, view))
            return;
        try
        {
            await audit.AppendAsync(AuditedAdministration.Event(caller, session.Tenant, AuditKinds.ConsoleScreenViewed, session.Id,
                ("view", view), ("keyTenant", caller.Tenant)));
        }
        catch (Exception e)
        {
            viewings.Release(caller.KeyId, session.Id, view);
            throw new RpcException(new Status(StatusCode.Unavailable, "the watching of this screen could not be put on record: no picture", e));
        }
    }

    public async Task<ConsoleSessionRow> Kill(Caller caller, string id)
    {
        caller.Require(Killers);
        await Visible(caller, id);
        var killed = await grains.GetGrain<ISessionGrain>(id).Kill(caller.KeyId, $"killed from the console by {caller.KeyId}");
        return ConsoleSessionRow.From(killed ?? throw Caller.NotFound("session", id));
    }
}
