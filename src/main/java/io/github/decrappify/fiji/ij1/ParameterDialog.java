package io.github.decrappify.fiji.ij1;

import ij.gui.GenericDialog;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.swing.JFileChooser;
import javax.swing.filechooser.FileFilter;

/**
 * The dialog of a command run from the menu: one ImageJ {@link GenericDialog} field per field of its
 * {@link DialogModel} (choices, numbers, checkboxes, folder and file pickers, the open images, the model
 * choice), in declaration order, and a Help button to the command's page of the user guide.
 */
final class ParameterDialog {

    private ParameterDialog() {
    }

    /** The values the user confirmed, or {@code null} if the dialog (or the model's file chooser) was canceled. */
    static Map<String, Object> ask(DialogModel model) {
        GenericDialog gd = new GenericDialog("Decrappify: " + model.title());
        if (model.description() != null && !model.description().isBlank()) {
            gd.addMessage(model.description());
        }
        for (DialogModel.Field f : model.fields()) {
            switch (f.kind()) {
                case IMAGE, CHOICE, MODEL -> gd.addChoice(f.label(), f.choices().toArray(String[]::new), f.text());
                case CHECKBOX -> gd.addCheckbox(f.label(), Boolean.parseBoolean(f.text()));
                case FOLDER -> gd.addDirectoryField(f.label(), f.text(), 30);
                case FILE -> gd.addFileField(f.label(), f.text(), 30);
                case TEXT -> gd.addStringField(f.label(), f.text(), 30);
                case AUTO_NUMBER -> gd.addStringField(f.label() + " (auto = the model's)", f.text(), 8);
                case NUMBER -> gd.addStringField(f.label(), f.text(), 12);
            }
        }
        gd.addHelp(model.helpUrl());
        gd.showDialog();
        if (gd.wasCanceled()) {
            return null;
        }
        List<String> answers = new ArrayList<>();
        for (DialogModel.Field f : model.fields()) {
            answers.add(switch (f.kind()) {
                case IMAGE, CHOICE, MODEL -> gd.getNextChoice();
                case CHECKBOX -> String.valueOf(gd.getNextBoolean());
                default -> gd.getNextString();
            });
        }
        return model.values(answers, ParameterDialog::chooseBundle);
    }

    /** A bundle folder or {@code .zip}, or {@code null} when canceled. */
    private static String chooseBundle() {
        JFileChooser chooser = new JFileChooser();
        chooser.setDialogTitle("Decrappify: model bundle (folder with rdf.yaml, or .zip)");
        chooser.setFileSelectionMode(JFileChooser.FILES_AND_DIRECTORIES);
        chooser.setFileFilter(new FileFilter() {
            @Override
            public boolean accept(File f) {
                return f.isDirectory() || f.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
            }

            @Override
            public String getDescription() {
                return "Model bundle folders and .zip files";
            }
        });
        return chooser.showOpenDialog(null) == JFileChooser.APPROVE_OPTION ? chooser.getSelectedFile().getPath() : null;
    }
}
