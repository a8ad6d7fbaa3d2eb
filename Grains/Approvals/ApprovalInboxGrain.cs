using Orleans.Concurrency;

namespace AgentCluster.Grains.Approvals;

[GenerateSerializer, Immutable]
public sealed record InboxEntry([property: Id(0)] string Approval, [property: Id(1)] string Session);

/// <summary>
/// A tenant's pending approvals: its own table rows, mirrored in memory while active. Reentrant:
/// a burst of new approvals writes its rows concurrently, and approvals it withdraws can call
/// back to remove themselves.
/// </summary>
[Reentrant]
public sealed class ApprovalInboxGrain(IApprovalInboxStore store, TimeProvider clock) : Grain, IApprovalInboxGrain
{
    private readonly List<InboxEntry> _pending = [];

    private string Tenant => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken ct) => _pending.AddRange(await store.LoadAsync(Tenant, ct));

    public async Task Add(string approvalId, string sessionId)
    {
        if (_pending.Exists(e => e.Approval == approvalId))
            return;
        var entry = new InboxEntry(approvalId, sessionId);
        await store.AddAsync(Tenant, entry, clock.GetUtcNow());
        // Listed only once durable; a failed insert leaves it unlisted here and in the table.
        if (!_pending.Exists(e => e.Approval == approvalId))
            _pending.Add(entry);
    }

    public async Task Remove(string approvalId)
    {
        await store.RemoveAsync(Tenant, approvalId);
        _pending.RemoveAll(e => e.Approval == approvalId);
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. _pending.Select(e => e.Approval)]);

    public Task<int> PendingFor(string sessionId) => Task.FromResult(_pending.Count(e => e.Session == sessionId));

    public async Task WithdrawSession(string sessionId, string reason)
    {
        var ids = _pending.Where(e => e.Session == sessionId).Select(e => e.Approval).ToList();
        await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IApprovalGrain>(id).Withdraw(reason)));
    }
}
