using AgentCluster.Client.Output;

namespace AgentCluster.Tests.Unit.Client.Output;

public sealed class TableTests
{
    [Fact]
    public void Aligns_columns_to_the_widest_cell()
    {
        var text = new Table("NAME", "STATUS")
            .Add("silo-a-long-name", "Active")
            .Add("b", "Dead")
            .ToString();

        Assert.Equal(
            """
            NAME              STATUS
            silo-a-long-name  Active
            b                 Dead

            """.ReplaceLineEndings(),
            text);
    }

    [Fact]
    public void Shows_a_dash_for_empty_cells_and_trims_trailing_space()
    {
        var lines = new Table("A", "B", "C").Add("x", null, "").ToString().Split(Environment.NewLine);

        Assert.Equal("x  -  -", lines[1]);
        Assert.All(lines, line => Assert.Equal(line.TrimEnd(), line));
    }

    [Fact]
    public void Keeps_one_row_per_line_whatever_the_cell_holds()
    {
        var text = new Table("NAME").Add("evil\nname\u001b[31m").ToString();

        Assert.Equal(2, text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain('\u001b', text);
    }

    [Fact]
    public void Header_only_when_there_are_no_rows()
    {
        Assert.Equal("ID  TENANT" + Environment.NewLine, new Table("ID", "TENANT").ToString());
    }

    [Fact]
    public void Refuses_a_row_of_the_wrong_width()
    {
        Assert.Throws<ArgumentException>(() => new Table("A", "B").Add("only one"));
    }
}
