using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Screening.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TaskQueueOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tasks_Assignee_Status_DueAt",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_Status_Jurisdiction_Role_DueAt",
                table: "Tasks");

            migrationBuilder.AddColumn<DateTime>(
                name: "QueueOrder",
                table: "Tasks",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // Existing tasks sort by their due instant, or last when they have none.
            migrationBuilder.Sql("UPDATE Tasks SET QueueOrder = COALESCE(DueAt, '9999-12-31 23:59:59.9999999');");

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_Assignee_Status_QueueOrder",
                table: "Tasks",
                columns: new[] { "Assignee", "Status", "QueueOrder" });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_Status_Jurisdiction_Role_QueueOrder",
                table: "Tasks",
                columns: new[] { "Status", "Jurisdiction", "Role", "QueueOrder" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tasks_Assignee_Status_QueueOrder",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_Status_Jurisdiction_Role_QueueOrder",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "QueueOrder",
                table: "Tasks");

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_Assignee_Status_DueAt",
                table: "Tasks",
                columns: new[] { "Assignee", "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_Status_Jurisdiction_Role_DueAt",
                table: "Tasks",
                columns: new[] { "Status", "Jurisdiction", "Role", "DueAt" });
        }
    }
}
