using AgentCluster.Grains.Approvals.Classification;
using static AgentCluster.Grains.Approvals.RiskLevel;
using RiskLevel = AgentCluster.Grains.Approvals.RiskLevel;

namespace AgentCluster.Tests.Unit.Grains.Approvals.Classification;

/// <summary>Tenants may only make things stricter, except down to the floor an admin set for an action.</summary>
public sealed class TenantOverrideTests
{
    private static readonly ActionClassifier Classifier = Classifiers.Build(o =>
    {
        o.Actions["crm.add_note"] = RecoverableWithAudit;
        o.TenantFloors["stripe.refund"] = Reversible;
        o.TenantFloors["crm.add_note"] = RecoverableWithAudit;
        o.TenantFloors["stripe.charge"] = RecoverableWithAudit;
    });

    [Theory]
    // Stricter is always allowed.
    [InlineData("browser.click", Irreversible, Irreversible)]
    [InlineData("browser.navigate", RecoverableWithAudit, RecoverableWithAudit)]
    [InlineData("stripe.refund", Irreversible, Irreversible)]
    // More lenient only down to the admin's floor.
    [InlineData("stripe.refund", Reversible, Reversible)]
    [InlineData("crm.add_note", Reversible, RecoverableWithAudit)]
    [InlineData("stripe.charge", Reversible, RecoverableWithAudit)]
    // No floor, no leniency.
    [InlineData("email.send_to_customer", Reversible, Irreversible)]
    [InlineData("git.force_push", RecoverableWithAudit, Irreversible)]
    [InlineData("made.up", Reversible, Irreversible)]
    // Levels outside the enum are the strictest.
    [InlineData("browser.click", (RiskLevel)7, Irreversible)]
    [InlineData("stripe.refund", (RiskLevel)(-1), Irreversible)]
    public void Applies_the_override_within_the_floor(string action, RiskLevel requested, RiskLevel expected)
    {
        var tenant = new Dictionary<string, RiskLevel> { [action] = requested };
        Assert.Equal(expected, Classifier.Classify(action, "{}", tenant).Risk);
    }

    [Theory]
    [InlineData("browser.click", Irreversible)]
    [InlineData("stripe.refund", Reversible)]
    [InlineData("stripe.refund", RecoverableWithAudit)]
    [InlineData("crm.add_note", Reversible)]
    [InlineData("crm.add_note", RecoverableWithAudit)]
    [InlineData("stripe.charge", Reversible)]
    [InlineData("stripe.charge", RecoverableWithAudit)]
    [InlineData("email.send_to_customer", Reversible)]
    [InlineData("git.force_push", RecoverableWithAudit)]
    [InlineData("made.up", Reversible)]
    [InlineData("made.up", Irreversible)]
    public void An_override_is_refused_when_set_exactly_when_classification_would_ignore_it(string action, RiskLevel requested)
    {
        var refusal = Classifier.OverrideRefusal(action, requested);
        var applied = Classifier.Classify(action, "{}", new Dictionary<string, RiskLevel> { [action] = requested }).Risk;

        Assert.Equal(applied != requested, refusal is not null);
    }

    [Fact]
    public void A_refusal_names_the_floor_and_where_it_is_set()
    {
        Assert.Equal(
            "stripe.charge=Reversible is below the admin's floor RecoverableWithAudit: a tenant may lower stripe.charge from "
            + "Irreversible to RecoverableWithAudit at most (AgentCluster:Approvals:TenantFloors)",
            Classifier.OverrideRefusal("stripe.charge", Reversible));
        Assert.Equal(
            "email.send_to_customer=RecoverableWithAudit is below the admin's floor Irreversible: email.send_to_customer is "
            + "Irreversible by the admin's action table, and tenants may not lower it (it is not in AgentCluster:Approvals:TenantFloors)",
            Classifier.OverrideRefusal("email.send_to_customer", RecoverableWithAudit));
        Assert.Contains("being unknown to the admin's action table", Classifier.OverrideRefusal("made.up", Reversible), StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_of_an_action_its_payload_decides_is_never_refused_since_it_only_ever_raises() =>
        Assert.Null(Classifier.OverrideRefusal("db.execute", Reversible));

    [Fact]
    public void An_override_only_touches_its_own_action()
    {
        var tenant = new Dictionary<string, RiskLevel> { ["stripe.refund"] = Reversible, ["browser.click"] = Irreversible };
        Assert.Equal(Reversible, Classifier.Classify("browser.type", "{}", tenant).Risk);
        Assert.Equal(Irreversible, Classifier.Classify("stripe.charge", "{}", tenant).Risk);
        Assert.Equal(RecoverableWithAudit, Classifier.Classify("stripe.refund", "{}").Risk);
    }

    [Fact]
    public void Payload_classified_actions_can_only_be_made_stricter()
    {
        var lenient = new Dictionary<string, RiskLevel> { ["db.execute"] = Reversible, ["http.request"] = Reversible, ["shell.exec"] = Reversible };
        Assert.Equal(Irreversible, Classifier.Classify("db.execute", Classifiers.Payload("sql", "DELETE FROM users"), lenient).Risk);
        Assert.Equal(Irreversible, Classifier.Classify("db.execute", "not json", lenient).Risk);
        Assert.Equal(Irreversible, Classifier.Classify("http.request", "{\"method\":\"POST\",\"url\":\"https://x.example/\"}", lenient).Risk);
        Assert.Equal(Irreversible, Classifier.Classify("shell.exec", Classifiers.Payload("command", "ls"), lenient).Risk);

        var strict = new Dictionary<string, RiskLevel> { ["db.execute"] = Irreversible };
        Assert.Equal(Irreversible, Classifier.Classify("db.execute", Classifiers.Payload("sql", "SELECT 1"), strict).Risk);
    }

    [Fact]
    public void An_admin_cannot_set_a_floor_for_a_payload_classified_action() =>
        Assert.Throws<InvalidOperationException>(() => Classifiers.Build(o => o.TenantFloors["db.execute"] = Reversible));

    [Fact]
    public void The_reason_records_the_override()
    {
        var tenant = new Dictionary<string, RiskLevel> { ["stripe.refund"] = Reversible, ["stripe.charge"] = Reversible };
        Assert.Contains("tenant lowered it to Reversible", Classifier.Classify("stripe.refund", "{}", tenant).Reason, StringComparison.Ordinal);
        Assert.Contains("tenant lowered it to RecoverableWithAudit", Classifier.Classify("stripe.charge", "{}", tenant).Reason, StringComparison.Ordinal);
        Assert.Contains("below the admin floor", Classifier.Classify("email.send_to_customer", "{}",
            new Dictionary<string, RiskLevel> { ["email.send_to_customer"] = Reversible }).Reason, StringComparison.Ordinal);
    }
}
