using System.Text;
using AgentCluster.Grains.Approvals.Classification;
using static AgentCluster.Grains.Approvals.RiskLevel;
using RiskLevel = AgentCluster.Grains.Approvals.RiskLevel;

namespace AgentCluster.Tests.Unit.Grains.Approvals.Classification;

public sealed class ActionClassifierTests
{
    private static readonly ActionClassifier Classifier = Classifiers.Build();

    [Theory]
    [InlineData("browser.click", Reversible)]
    [InlineData("browser.type", Reversible)]
    [InlineData("browser.screenshot", Reversible)]
    [InlineData("browser.navigate", Reversible)]
    [InlineData("stripe.refund", RecoverableWithAudit)]
    [InlineData("form.submit_purchase", Irreversible)]
    [InlineData("email.send_to_customer", Irreversible)]
    [InlineData("stripe.charge", Irreversible)]
    [InlineData("db.delete_row", Irreversible)]
    [InlineData("git.force_push", Irreversible)]
    // Unknown actions, including near misses of known ones.
    [InlineData("made.up", Irreversible)]
    [InlineData("Browser.Click", Irreversible)]
    [InlineData("browser.click ", Irreversible)]
    [InlineData("browser", Irreversible)]
    [InlineData("", Irreversible)]
    [InlineData("   ", Irreversible)]
    public void The_default_table_holds_and_anything_else_is_irreversible(string action, RiskLevel expected) =>
        Assert.Equal(expected, Classifier.Classify(action, "{}").Risk);

    [Theory]
    [InlineData("db.execute", null)]
    [InlineData("db.execute", "")]
    [InlineData("db.execute", "SELECT 1")]
    [InlineData("db.execute", "null")]
    [InlineData("db.execute", "[\"SELECT 1\"]")]
    [InlineData("db.execute", "\"SELECT 1\"")]
    [InlineData("db.execute", "{\"sql\": 42}")]
    [InlineData("db.execute", "{\"sql\": null}")]
    [InlineData("db.execute", "{\"query\": \"SELECT 1\"}")]
    [InlineData("db.execute", "{\"sql\": \"SELECT 1\",}")]
    [InlineData("db.execute", "{\"sql\": \"SELECT 1\" /* c */}")]
    [InlineData("db.execute", "{\"sql\": \"SELECT 1\", \"sql\": \"DROP TABLE users\"}")]
    [InlineData("db.execute", "{\"sql\": \"SELECT 1\", \"SQL\": \"DROP TABLE users\"}")]
    [InlineData("db.execute", "{\"sql\": \"SELECT 1\", \"opts\": {\"a\": 1, \"A\": 2}}")]
    [InlineData("db.execute", "{\"sql\": \"SELECT 1\"")]
    [InlineData("http.request", "{\"method\": \"GET\", \"url\": \"https://example.com/\"")]
    [InlineData("shell.exec", "ls")]
    public void A_malformed_payload_for_a_generic_tool_is_irreversible(string action, string? payload) =>
        Assert.Equal(Irreversible, Classifier.Classify(action, payload).Risk);

    [Fact]
    public void A_well_formed_payload_is_read()
    {
        Assert.Equal(Reversible, Classifier.Classify("db.execute", "{\"sql\": \"SELECT 1\", \"params\": [1, 2]}").Risk);
        Assert.Equal(Reversible, Classifier.Classify("db.execute", Encoding.UTF8.GetBytes("{\"sql\": \"SELECT 1\"}")).Risk);
        Assert.Equal(Irreversible, Classifier.Classify("db.execute", new byte[] { 0x7b, 0xff, 0x7d }).Risk);
    }

    [Fact]
    public void A_payload_does_not_matter_for_a_table_action() =>
        Assert.Equal(Reversible, Classifier.Classify("browser.click", "not json").Risk);

    [Fact]
    public void The_reason_says_why()
    {
        Assert.Contains("unknown action", Classifier.Classify("made.up", "{}").Reason, StringComparison.Ordinal);
        Assert.Contains("malformed payload", Classifier.Classify("db.execute", "nope").Reason, StringComparison.Ordinal);
        Assert.Contains("action table", Classifier.Classify("stripe.refund", "{}").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Attacker_text_in_a_reason_is_short_and_visible()
    {
        var reason = Classifier.Classify("evil\u202Egnp.exe\n" + new string('x', 500), "{}").Reason;
        Assert.DoesNotContain('\u202E', reason);
        Assert.DoesNotContain('\n', reason);
        Assert.True(reason.Length < 100, reason);
    }

    [Fact]
    public void A_table_entry_for_a_generic_tool_is_a_minimum()
    {
        var classifier = Classifiers.Build(o => o.Actions["db.execute"] = RecoverableWithAudit);
        Assert.Equal(RecoverableWithAudit, classifier.Sql("SELECT 1").Risk);
        Assert.Equal(Irreversible, classifier.Sql("DELETE FROM users").Risk);
    }

    [Fact]
    public void A_level_outside_the_enum_counts_as_irreversible()
    {
        var classifier = Classifiers.Build(o => o.Actions["odd.level"] = (RiskLevel)7);
        Assert.Equal(Irreversible, classifier.Classify("odd.level", "{}").Risk);
    }
}
