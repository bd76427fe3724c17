using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Identity;

namespace Screening.Web.Persistence;

/// <summary>
/// One context for case data, engine state, identity and audit, so that a command commits its task,
/// instance, timers, outbox and audit entry in one transaction.
/// </summary>
/// <remarks>
/// On SQLite this type is the context, with its migrations in <c>Persistence/Migrations</c>; on PostgreSQL it is
/// <see cref="PostgreSqlScreeningDbContext"/>, the same model with its own migrations (decision 0022).
/// </remarks>
public class ScreeningDbContext : IdentityDbContext<ScreeningUser>, IDataProtectionKeyContext
{
    public ScreeningDbContext(DbContextOptions<ScreeningDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's own context type, whose migrations are its own.</summary>
    protected ScreeningDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>
    /// The tracked row of this key, if any, from the identity map: no query, and no scan of the tracked rows for
    /// changes, which every read of <c>DbSet.Local</c> runs (the projection looks rows up once per effect).
    /// </summary>
    public T? Tracked<T>(Guid id)
        where T : class
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return Set<T>().Local.FindEntry(id)?.Entity;
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    public DbSet<CaseRecord> Cases => Set<CaseRecord>();

    /// <summary>The data-protection key ring, where several nodes must share it (PostgreSQL); SQLite keeps it in files.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<WorkflowInstanceRecord> Instances => Set<WorkflowInstanceRecord>();

    public DbSet<JournalRow> Journal => Set<JournalRow>();

    public DbSet<ReviewTask> Tasks => Set<ReviewTask>();

    public DbSet<InformationRequestRecord> InformationRequests => Set<InformationRequestRecord>();

    public DbSet<TimerRecord> Timers => Set<TimerRecord>();

    public DbSet<DefinitionRecord> Definitions => Set<DefinitionRecord>();

    public DbSet<CalendarRecord> Calendars => Set<CalendarRecord>();

    public DbSet<HolidayRecord> Holidays => Set<HolidayRecord>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<UserNotification> Notifications => Set<UserNotification>();

    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    public DbSet<SimulatedClockRecord> SimulatedClock => Set<SimulatedClockRecord>();

    public DbSet<CaseNote> Notes => Set<CaseNote>();

    public DbSet<DocumentRecord> Documents => Set<DocumentRecord>();

    public DbSet<LetterRecord> Letters => Set<LetterRecord>();

    public DbSet<LetterTemplateRecord> LetterTemplates => Set<LetterTemplateRecord>();

    public DbSet<MailRecord> Mail => Set<MailRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<ScreeningUser>(user =>
        {
            user.Property(u => u.Jurisdiction).HasMaxLength(2);
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.Language).HasMaxLength(5);
            user.Property(u => u.MailOff).HasMaxLength(100);
        });

        builder.Entity<CaseRecord>(c =>
        {
            c.ToTable("Cases");
            c.HasKey(x => x.Id);
            c.HasIndex(x => x.Reference).IsUnique();
            c.HasIndex(x => new { x.ApplicantId, x.IdempotencyKey }).IsUnique();
            c.HasIndex(x => new { x.ApplicantId, x.SubmittedAt });
            c.HasIndex(x => x.SubmittedAt);
            c.Property(x => x.Reference).HasMaxLength(32);
            c.Property(x => x.Status).HasMaxLength(32);
            c.Property(x => x.Stage).HasMaxLength(64);
            c.Property(x => x.Jurisdictions).HasMaxLength(16);
            c.Property(x => x.IdempotencyKey).HasMaxLength(200);
            c.Property(x => x.IdempotencyHash).HasMaxLength(64);
            c.Ignore(x => x.JurisdictionList);
        });

        builder.Entity<WorkflowInstanceRecord>(i =>
        {
            i.ToTable("WorkflowInstances");
            i.HasKey(x => x.Id);
            i.Property(x => x.Version).IsConcurrencyToken();
            i.HasIndex(x => x.Status);
        });

        builder.Entity<JournalRow>(j =>
        {
            j.ToTable("WorkflowJournal");
            j.HasKey(x => x.Id);
            j.HasIndex(x => new { x.InstanceId, x.Version });
        });

        builder.Entity<ReviewTask>(t =>
        {
            t.ToTable("Tasks");
            t.HasKey(x => x.Id);
            t.Property(x => x.Version).IsConcurrencyToken();
            // The officer's queue: open tasks of a jurisdiction and role, soonest due first.
            t.HasIndex(x => new { x.Status, x.Jurisdiction, x.Role, x.QueueOrder, x.CreatedAt });
            t.HasIndex(x => new { x.Assignee, x.Status, x.QueueOrder, x.CreatedAt });
            t.HasIndex(x => x.CaseId);
        });

        builder.Entity<InformationRequestRecord>(r =>
        {
            r.ToTable("InformationRequests");
            r.HasKey(x => x.Id);
            r.HasIndex(x => new { x.CaseId, x.Status });
        });

        builder.Entity<TimerRecord>(t =>
        {
            t.ToTable("Timers");
            t.HasKey(x => x.Id);
            // A row changes state once: an update is made only from the state it was read in, so a node that read a
            // timer pending while another fired it cannot mark it cancelled after (it retries, and finds it fired).
            t.Property(x => x.State).IsConcurrencyToken();
            t.HasIndex(x => new { x.State, x.DueAt });
            t.HasIndex(x => x.InstanceId);
        });

        builder.Entity<DefinitionRecord>(d =>
        {
            d.ToTable("WorkflowDefinitions");
            d.HasKey(x => new { x.Key, x.Version });
        });

        builder.Entity<CalendarRecord>(c =>
        {
            c.ToTable("Calendars");
            c.HasKey(x => x.Code);
            c.HasMany(x => x.Holidays).WithOne().HasForeignKey(h => h.CalendarCode).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<HolidayRecord>(h =>
        {
            h.ToTable("Holidays");
            h.HasKey(x => new { x.CalendarCode, x.Date });
            h.Property(x => x.Name).HasMaxLength(200);
            h.Property(x => x.Source).HasMaxLength(300);
            h.Property(x => x.Kind).HasDefaultValue(3);
        });

        builder.Entity<OutboxMessage>(o =>
        {
            o.ToTable("Outbox");
            o.HasKey(x => x.Id);
            o.HasIndex(x => x.DeliveredAt);
            o.Property(x => x.Kind).HasMaxLength(16).HasDefaultValue(OutboxKinds.Notification);
        });

        builder.Entity<LetterRecord>(l =>
        {
            l.ToTable("Letters");
            l.HasKey(x => x.Id);
            l.HasIndex(x => new { x.CaseId, x.ActId, x.Language }).IsUnique();
            l.Property(x => x.ActId).HasMaxLength(200);
            l.Property(x => x.Kind).HasMaxLength(32);
            l.Property(x => x.Language).HasMaxLength(5);
        });

        builder.Entity<LetterTemplateRecord>(t =>
        {
            t.ToTable("LetterTemplates");
            t.HasKey(x => new { x.Kind, x.Language });
            t.Property(x => x.Kind).HasMaxLength(32);
            t.Property(x => x.Language).HasMaxLength(5);
            t.Property(x => x.UpdatedBy).HasMaxLength(450);
        });

        builder.Entity<MailRecord>(m =>
        {
            m.ToTable("Mail");
            m.HasKey(x => x.Id);
            m.HasIndex(x => x.Key).IsUnique();
            m.HasIndex(x => new { x.SentAt, x.NextAttemptAt });
            m.Property(x => x.Key).HasMaxLength(300);
            m.Property(x => x.To).HasMaxLength(256);
            m.Property(x => x.Language).HasMaxLength(5);
            m.Property(x => x.Event).HasMaxLength(32);
            m.Property(x => x.Subject).HasMaxLength(300);
            m.Property(x => x.LastError).HasMaxLength(1000);
        });

        builder.Entity<UserNotification>(n =>
        {
            n.ToTable("Notifications");
            n.HasKey(x => x.Id);
            n.HasIndex(x => new { x.UserId, x.CreatedAt });
            n.HasIndex(x => new { x.OutboxId, x.UserId }).IsUnique();
        });

        builder.Entity<AuditEntry>(a =>
        {
            a.ToTable("AuditEntries");
            a.HasKey(x => x.Seq);
            a.Property(x => x.Seq).ValueGeneratedNever();
            a.HasIndex(x => new { x.CaseId, x.Seq });
        });

        builder.Entity<CaseNote>(n =>
        {
            n.ToTable("CaseNotes");
            n.HasKey(x => x.Id);
            n.HasIndex(x => new { x.CaseId, x.At });
            n.Property(x => x.Jurisdiction).HasMaxLength(2);
        });

        builder.Entity<DocumentRecord>(d =>
        {
            d.ToTable("Documents");
            d.HasKey(x => x.Id);
            d.HasIndex(x => new { x.CaseId, x.UploadedAt });
            d.HasIndex(x => x.Sha256);
            d.HasIndex(x => x.RequestId);
            d.Property(x => x.Name).HasMaxLength(200);
            d.Property(x => x.ContentType).HasMaxLength(100);
            d.Property(x => x.Sha256).HasMaxLength(64);
            d.Property(x => x.Classification).HasMaxLength(16);
            d.Property(x => x.Jurisdiction).HasMaxLength(2);
            d.Property(x => x.Purpose).HasMaxLength(16);
        });

        builder.Entity<SimulatedClockRecord>(s =>
        {
            s.ToTable("SimulatedClock");
            s.HasKey(x => x.Id);
            s.Property(x => x.Id).ValueGeneratedNever();
        });
    }
}
