namespace AgentCluster.Grains.Approvals.Classification;

/// <summary>The table a deployment starts from. Anything not here is Irreversible.</summary>
public static class DefaultActions
{
    public static Dictionary<string, RiskLevel> Create() => new(StringComparer.Ordinal)
    {
        ["browser.click"] = RiskLevel.Reversible,
        ["browser.type"] = RiskLevel.Reversible,
        ["browser.screenshot"] = RiskLevel.Reversible,
        ["browser.navigate"] = RiskLevel.Reversible,
        ["browser.key"] = RiskLevel.Reversible,
        ["browser.scroll"] = RiskLevel.Reversible,
        ["browser.drag"] = RiskLevel.Reversible,
        ["browser.move"] = RiskLevel.Reversible,
        ["browser.cursor"] = RiskLevel.Reversible,
        ["browser.wait"] = RiskLevel.Reversible,
        ["stripe.refund"] = RiskLevel.RecoverableWithAudit,
        ["form.submit_purchase"] = RiskLevel.Irreversible,
        ["email.send_to_customer"] = RiskLevel.Irreversible,
        ["stripe.charge"] = RiskLevel.Irreversible,
        ["db.delete_row"] = RiskLevel.Irreversible,
        ["git.force_push"] = RiskLevel.Irreversible,
    };
}
