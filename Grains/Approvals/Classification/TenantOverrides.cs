namespace AgentCluster.Grains.Approvals.Classification;

/// <summary>
/// The rule for a tenant's own action → risk map, applied after the admin table:
/// <list type="bullet">
/// <item>a tenant may always make an action stricter;</item>
/// <item>a tenant may make it more lenient only if the admin listed the action in
/// <c>TenantFloors</c>, and never below that floor (nor below Reversible, obviously);</item>
/// <item>actions whose risk comes from their payload (db.execute, …) can only be made stricter:
/// lowering them would lower every payload at once, unparseable ones included, so their
/// leniency is configured in the sub-classifier's own admin rules instead.</item>
/// </list>
/// Why floors rather than a plain "stricter only": an admin can delegate one decision (say
/// <c>stripe.refund</c> → Reversible for a tenant that refunds all day) without delegating all.
/// </summary>
public static class TenantOverrides
{
    public static ActionClassification Apply(
        string action,
        ActionClassification admin,
        IReadOnlyDictionary<string, RiskLevel>? tenant,
        IReadOnlyDictionary<string, RiskLevel> floors)
    {
        if (tenant is null || !tenant.TryGetValue(action, out var requested))
            return admin;
        requested = Defined(requested);
        if (requested > admin.Risk)
            return admin with { Risk = requested, Reason = $"{admin.Reason}; tenant raised it to {requested}" };

        var floor = floors.TryGetValue(action, out var f) ? Min(Defined(f), admin.Risk) : admin.Risk;
        var granted = Max(requested, floor);
        return granted == admin.Risk
            ? admin with { Reason = requested == admin.Risk ? admin.Reason : $"{admin.Reason}; tenant override to {requested} is below the admin floor" }
            : admin with { Risk = granted, Reason = $"{admin.Reason}; tenant lowered it to {granted} (admin floor {floor})" };
    }

    /// <summary>A number outside the enum (from a cast or a config typo) counts as the strictest level.</summary>
    public static RiskLevel Defined(RiskLevel level) => Enum.IsDefined(level) ? level : RiskLevel.Irreversible;

    public static RiskLevel Max(RiskLevel a, RiskLevel b) => a > b ? a : b;

    private static RiskLevel Min(RiskLevel a, RiskLevel b) => a < b ? a : b;
}
