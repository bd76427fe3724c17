using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Screening.Web.Persistence;

/// <summary>
/// The hot rows of a command written by statements of its own in the command's savepoint instead of through the change
/// tracker (decision 0031): no snapshot, no change detection, no command batch to prepare. Rows it only adds and
/// nothing reads back before they commit (its audit entries, its journal row, its outbox rows) go in by one INSERT;
/// the instance header is updated by its key under its version guard. The table, the columns and each value's
/// conversion to the database come from the context's model, so the statements store what SaveChanges would, on
/// SQLite and on PostgreSQL.
/// </summary>
public static class RowStatements
{
    /// <summary>Parameters of one statement at most, well inside both databases' limits; more rows are split over statements.</summary>
    private const int MaxParameters = 2000;

    private static readonly ConcurrentDictionary<(IModel Model, Type Type), Shape> Shapes = new();
    private static readonly ConcurrentDictionary<(IModel Model, Type Type, GuardedColumns Columns), Update> Updates = new();

    /// <summary>Inserts <paramref name="rows"/> (of any mapped entity types, in their order within each type) in one statement, on the context's connection and transaction.</summary>
    public static async Task InsertAsync(ScreeningDbContext db, IReadOnlyList<object> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var sql = new StringBuilder();
        var parameters = new List<DbParameter>();
        var helper = db.GetService<ISqlGenerationHelper>();
        // Only a factory of parameters of the right provider's kind.
        await using var maker = db.Database.GetDbConnection().CreateCommand();
        foreach (var group in rows.GroupBy(r => r.GetType()))
        {
            var shape = Shapes.GetOrAdd((db.Model, group.Key), static (key, h) => Shape.Of(key.Model, key.Type, h), helper);
            var first = true;
            foreach (var row in group)
            {
                if (parameters.Count + shape.Columns.Length > MaxParameters)
                {
                    await RunAsync(db, sql, parameters);
                    first = true;
                }

                sql.Append(first ? shape.Insert : ", ").Append('(');
                first = false;
                for (var i = 0; i < shape.Columns.Length; i++)
                {
                    var column = shape.Columns[i];
                    var name = ParameterName(parameters.Count);
                    parameters.Add(column.Mapping.CreateParameter(maker, name, column.Value.GetClrValueUsingContainingEntity(row), column.Nullable));
                    sql.Append(i == 0 ? string.Empty : ", ").Append(helper.GenerateParameterNamePlaceholder(name));
                }

                sql.Append(')');
            }

            sql.Append(";\n");
        }

        await RunAsync(db, sql, parameters);
    }

    /// <summary>
    /// Updates the <paramref name="columns"/> of one stored row by its key, only while its guard column still holds
    /// <paramref name="expected"/> (the value the command read); otherwise changes nothing and throws, as SaveChanges does
    /// for a concurrency token that moved.
    /// </summary>
    /// <exception cref="DbUpdateConcurrencyException">The row is gone or its guard moved: another command wrote it first.</exception>
    public static async Task UpdateAsync(ScreeningDbContext db, object row, GuardedColumns columns, object expected)
    {
        var helper = db.GetService<ISqlGenerationHelper>();
        var update = Updates.GetOrAdd((db.Model, row.GetType(), columns), static (key, h) => Update.Of(key.Model, key.Type, key.Columns, h), helper);
        await using var maker = db.Database.GetDbConnection().CreateCommand();
        var parameters = new List<object>(update.Set.Length + update.Key.Length + 1);
        foreach (var column in update.Set.Concat(update.Key))
        {
            parameters.Add(column.Mapping.CreateParameter(maker, ParameterName(parameters.Count), column.Value.GetClrValueUsingContainingEntity(row), column.Nullable));
        }

        parameters.Add(update.Guard.Mapping.CreateParameter(maker, ParameterName(parameters.Count), expected, update.Guard.Nullable));
        var changed = await db.Database.ExecuteSqlRawAsync(update.Sql, parameters, CancellationToken.None);
        if (changed != 1)
        {
            throw new DbUpdateConcurrencyException($"The {row.GetType().Name} row was changed by another command since it was read ({changed} rows matched its key and guard).");
        }
    }

    private static string ParameterName(int index) => "p" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An entity type's table, from the model.</summary>
    private static (IEntityType Entity, StoreObjectIdentifier Table) TableOf(IModel model, Type type)
    {
        var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped.");
        return (entity, StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema()));
    }

    private static async Task RunAsync(ScreeningDbContext db, StringBuilder sql, List<DbParameter> parameters)
    {
        if (sql.Length == 0)
        {
            return;
        }

        // Through EF Core's raw SQL path: the context's transaction, its interceptors and logging, and no query to compile.
        await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters.Cast<object>(), CancellationToken.None);
        sql.Clear();
        parameters.Clear();
    }

    private sealed record Column(IClrPropertyGetter Value, RelationalTypeMapping Mapping, bool Nullable)
    {
        public static Column Of(IProperty property) => new(property.GetGetter(), property.GetRelationalTypeMapping(), property.IsNullable);
    }

    /// <summary><c>UPDATE "T" SET "A" = @p0, ... WHERE "Key" = @pn AND "Guard" = @pm</c>, and its parameters' columns in that order.</summary>
    private sealed record Update(string Sql, Column[] Set, Column[] Key, Column Guard)
    {
        public static Update Of(IModel model, Type type, GuardedColumns columns, ISqlGenerationHelper helper)
        {
            var (entity, table) = TableOf(model, type);
            IProperty Property(string name) => entity.FindProperty(name) ?? throw new InvalidOperationException($"{type.Name} has no property {name}.");
            var set = columns.Set.Select(Property).ToList();
            var key = entity.FindPrimaryKey()!.Properties;
            var guard = Property(columns.Guard);
            var n = 0;
            string Next() => helper.GenerateParameterNamePlaceholder(ParameterName(n++));
            string Name(IProperty p) => helper.DelimitIdentifier(p.GetColumnName(table)!);
            var assignments = string.Join(", ", set.Select(p => $"{Name(p)} = {Next()}"));
            var conditions = string.Join(" AND ", key.Append(guard).Select(p => $"{Name(p)} = {Next()}"));
            return new Update(
                $"UPDATE {helper.DelimitIdentifier(table.Name, table.Schema)} SET {assignments} WHERE {conditions}",
                [.. set.Select(Column.Of)],
                [.. key.Select(Column.Of)],
                Column.Of(guard));
        }
    }

    /// <summary>An entity type's INSERT head (<c>INSERT INTO "T" ("A", "B") VALUES </c>) and its columns in that order.</summary>
    private sealed record Shape(string Insert, Column[] Columns)
    {
        public static Shape Of(IModel model, Type type, ISqlGenerationHelper helper)
        {
            var (entity, table) = TableOf(model, type);
            var columns = entity.GetProperties()
                .Select(p => (Property: p, Name: p.GetColumnName(table)))
                .Where(c => c.Name is not null)
                .Select(c => (c.Name!, Column.Of(c.Property)))
                .ToList();
            return new Shape(
                $"INSERT INTO {helper.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => helper.DelimitIdentifier(c.Item1)))}) VALUES ",
                [.. columns.Select(c => c.Item2)]);
        }
    }
}

/// <summary>
/// The columns an update by key writes and the column that guards it (a version). Keep one instance per use in a
/// static field: the statement built for it is cached under it.
/// </summary>
public sealed class GuardedColumns(string guard, params string[] set)
{
    public string Guard { get; } = guard;

    public IReadOnlyList<string> Set { get; } = set;
}
