using AgentCluster.Api.V1;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using Grpc.Core;
using Proto = AgentCluster.Api.V1;

namespace AgentCluster.Silo.Api;

/// <summary>Reads the audit log; tenant keys see their own chain, a cluster admin every chain.</summary>
internal sealed class AuditApi(IAuditStore store, IGrainFactory grains) : AuditService.AuditServiceBase
{
    private const int DefaultTail = 20;
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(500);

    public override async Task Tail(TailAuditRequest request, IServerStreamWriter<Proto.AuditRecord> stream, ServerCallContext context)
    {
        var tenant = await Scope(context, request.Tenant);
        var filter = Filter(request);
        var since = request.Since?.ToDateTimeOffset().ToUnixTimeMilliseconds();
        var limit = request.Limit > 0 ? request.Limit : DefaultTail;

        // Newest first from the store, filtered, then sent oldest first.
        var newest = new List<Grains.Audit.AuditRecord>();
        await foreach (var r in store.ReadAsync(new AuditQuery(tenant, SinceMs: since, Newest: true), context.CancellationToken))
        {
            if (!filter(r))
                continue;
            newest.Add(r);
            if (newest.Count == limit)
                break;
        }
        newest.Reverse();
        foreach (var r in newest)
            await stream.WriteAsync(ToProto(r));
        if (!request.Follow)
            return;

        var seen = newest.Select(r => (r.Tenant, r.Seq)).ToHashSet();
        var from = newest.Count > 0 ? newest[^1].AtMs : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        while (!context.CancellationToken.IsCancellationRequested)
        {
            await Task.Delay(FollowPoll, context.CancellationToken);
            await foreach (var r in store.ReadAsync(new AuditQuery(tenant, SinceMs: from), context.CancellationToken))
            {
                if (!seen.Add((r.Tenant, r.Seq)))
                    continue;
                from = Math.Max(from, r.AtMs);
                if (filter(r))
                    await stream.WriteAsync(ToProto(r));
            }
        }
    }

    public override async Task Export(ExportAuditRequest request, IServerStreamWriter<Proto.AuditRecord> stream, ServerCallContext context)
    {
        var tenant = await Scope(context, request.Tenant);
        var since = request.Since?.ToDateTimeOffset().ToUnixTimeMilliseconds();
        var visible = Visible(context);
        await foreach (var r in store.ReadAsync(new AuditQuery(tenant, SinceMs: since), context.CancellationToken))
        {
            if (visible(r.Tenant))
                await stream.WriteAsync(ToProto(r));
        }
    }

    public override async Task<AuditHeads> GetHeads(GetAuditHeadsRequest request, ServerCallContext context)
    {
        var tenant = await Scope(context, request.Tenant);
        var visible = Visible(context);
        var heads = new AuditHeads();
        heads.Heads.AddRange((await store.ReadHeadsAsync(tenant, context.CancellationToken))
            .Where(h => visible(h.Tenant))
            .Select(h => new Proto.AuditHead { Tenant = h.Tenant, Seq = h.Seq, Hash = h.Hash, AtMs = h.AtMs }));
        return heads;
    }

    /// <summary>
    /// Null means every tenant, which only a cluster admin may ask for. A tenant that does not exist is
    /// NotFound, as everywhere else, rather than an empty chain that verifies.
    /// </summary>
    private async Task<string?> Scope(ServerCallContext context, string requested)
    {
        var caller = Caller.From(context).Require(Roles.Auditor, Roles.Admin);
        if (caller.IsClusterAdmin && string.IsNullOrEmpty(requested))
            return null;
        return await ApiLookups.ExistingTenant(grains, caller.TenantFor(requested));
    }

    private static Func<string, bool> Visible(ServerCallContext context) => Caller.From(context).CanSee;

    private static Func<Grains.Audit.AuditRecord, bool> Filter(TailAuditRequest request) => r =>
        (request.Kind.Length == 0 || AuditKinds.Matches(request.Kind, r.Kind))
        && (request.Session.Length == 0 || r.Subject == request.Session || r.Actor == request.Session);

    internal static Proto.AuditRecord ToProto(Grains.Audit.AuditRecord r) => new()
    {
        Tenant = r.Tenant, Seq = r.Seq, AtMs = r.AtMs, Actor = r.Actor, Kind = r.Kind, Subject = r.Subject,
        Outcome = r.Outcome, Reason = r.Reason, Detail = r.DetailJson, PrevHash = r.PrevHash, Hash = r.Hash,
    };
}
